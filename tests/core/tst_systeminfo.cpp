#include <QtTest>

#include "llmf/common/systeminfo.h"

using namespace llmf;

class TestSystemInfo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void blasName_classifiesDebianAlternatives()
    {
        bool reference = true;
        QCOMPARE(blasNameFromPath("/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3", &reference),
                 std::string("OpenBLAS (OpenMP)"));
        QVERIFY(!reference);
        QCOMPARE(blasNameFromPath("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3", &reference),
                 std::string("OpenBLAS (pthreads)"));
        QCOMPARE(blasNameFromPath("/usr/lib/x86_64-linux-gnu/blis-openmp/libblas.so.3", &reference),
                 std::string("BLIS"));
        blasNameFromPath("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3", &reference);
        QVERIFY(reference);
    }

    void blasWarning_onlyForReferenceBlas()
    {
        SystemInfo info;
        info.blasLibrary = "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3";
        info.blasName = blasNameFromPath(info.blasLibrary, &info.referenceBlas);
        const std::string warning = blasWarning(info);
        QVERIFY(warning.find("libopenblas0-openmp") != std::string::npos);
        info.referenceBlas = false;
        QVERIFY(blasWarning(info).empty());
    }

    void systemInfo_describesThisProcess()
    {
        const int cores = configureThreads();
        const SystemInfo info = systemInfo();
        QVERIFY(cores >= 1);
        QCOMPARE(info.torchThreads, cores);
        QVERIFY(info.physicalCores <= info.logicalCores);
        QVERIFY(!info.torchVersion.empty());
        // setup installs OpenBLAS (make test runs setup first), so the active BLAS must not be the reference one.
        QVERIFY2(!info.referenceBlas, info.blasLibrary.c_str());
    }
};

QTEST_GUILESS_MAIN(TestSystemInfo)
#include "tst_systeminfo.moc"
