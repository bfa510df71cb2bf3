#include <QtTest>

#include "llmf/common/error.h"
#include "llmf/common/systeminfo.h"
#include "llmf/common/device.h"

#include <torch/torch.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

namespace {

long threadsOfThisProcess()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("Threads:", 0) == 0)
            return std::stol(line.substr(8));
    return -1;
}

} // namespace

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

    // A thread that ran a parallel region keeps its OpenMP workers; releasing them is what lets a training thread
    // keep libgomp's spinning barriers (systeminfo.h).
    void releasingOpenMPWorkers_endsThisThreadsPool()
    {
        if (std::thread::hardware_concurrency() < 2)
            QSKIP("one core: there are no OpenMP workers to release");
        const int before = at::get_num_threads();
        at::set_num_threads(2); // what the apps' configureThreads() sets on two cores
        long during = 0, after = 0;
        bool released = false;
        std::thread([&] {
            // OpenBLAS's GEMM is what runs libgomp teams here (ATen's own parallel_for has its own pool).
            const torch::Tensor a = torch::randn({512, 512});
            torch::mm(a, a);
            during = threadsOfThisProcess();
            released = llmf::releaseThisThreadsOpenMPWorkers();
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
            while ((after = threadsOfThisProcess()) >= during && std::chrono::steady_clock::now() < deadline)
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            torch::mm(a, a); // and the next product starts them again
        }).join();
        at::set_num_threads(before);
        QVERIFY(released);
        QVERIFY2(after < during, qPrintable(QString("threads: %1 during, %2 after").arg(during).arg(after)));
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
