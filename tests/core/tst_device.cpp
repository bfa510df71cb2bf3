#include <QtTest>

#include "llmf/common/error.h"
#include "llmf/train/device.h"

using namespace llmf;

class TestDevice : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void auto_picksCudaWhenPresent()
    {
        QCOMPARE(resolveDeviceName("auto", true, 2), std::string("cuda:0"));
        QCOMPARE(resolveDeviceName("auto", false, 0), std::string("cpu"));
        QCOMPARE(resolveDeviceName("cpu", true, 1), std::string("cpu"));
    }

    void cuda_indexIsChecked()
    {
        QCOMPARE(resolveDeviceName("cuda", true, 1), std::string("cuda:0"));
        QCOMPARE(resolveDeviceName("cuda:1", true, 2), std::string("cuda:1"));
        try {
            resolveDeviceName("cuda:2", true, 2);
            QFAIL("expected an error");
        } catch (const Error &e) {
            QVERIFY(QString(e.what()).contains("2 CUDA devices"));
        }
        QVERIFY_THROWS_EXCEPTION(Error, resolveDeviceName("cuda:x", true, 2));
        QVERIFY_THROWS_EXCEPTION(Error, resolveDeviceName("tpu", true, 2));
    }

    void cuda_missingIsExplained()
    {
        try {
            resolveDeviceName("cuda", false, 0);
            QFAIL("expected an error");
        } catch (const Error &e) {
            QVERIFY(QString(e.what()).contains("no CUDA device"));
            QVERIFY(QString::fromStdString(e.hint()).contains("device: auto"));
        }
    }

    void halfPrecision_refusedOnCpu()
    {
        QVERIFY(!autocastDtype("float32", torch::Device(torch::kCPU)));
        QVERIFY_THROWS_EXCEPTION(Error, autocastDtype("bfloat16", torch::Device(torch::kCPU)));
        QCOMPARE(*autocastDtype("bfloat16", torch::Device(torch::kCUDA, 0)), torch::kBFloat16);
        QCOMPARE(*autocastDtype("float16", torch::Device(torch::kCUDA, 0)), torch::kHalf);
    }
};

QTEST_GUILESS_MAIN(TestDevice)
#include "tst_device.moc"
