// GUI responsiveness while training, and the dashboard's throughput against the headless Trainer, driven from the
// main thread and from a plain std::thread (the dashboard trains on a QThread), in alternating rounds.
// Not part of `make test` (label "benchmark"): build/bin/bench_guilatency [steps] [rounds]. Prints a table.
#include "inspector/inspectorpage.h"
#include "llmf/common/systeminfo.h"
#include "llmf/config/configio.h"
#include "llmf/config/presets.h"
#include "llmf/model/minillm.h"
#include "llmf/run/rundirectory.h"
#include "llmf/run/safetensors.h"
#include "llmf/data/trainingdata.h"
#include "llmf/train/trainer.h"
#include "training/trainingcontroller.h"
#include "training/trainingdashboard.h"
#include "training/trainingworker.h"

#include <QApplication>
#include <QTabWidget>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <functional>
#include <thread>
#include <chrono>
#include <cstdio>

namespace {

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))];
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    llmf::configureThreads();
    llmf::configureAllocator(); // as the app does
    QTemporaryDir dir;
    const int steps = argc > 1 ? std::atoi(argv[1]) : 150;
    const int rounds = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
    llmf::Config config = llmf::loadPreset("tiny");
    config.training.max_iters = steps;
    config.training.eval_interval = 1000000; // only the end: same work in both measurements
    config.training.checkpoint_interval = 0;

    // 1. Headless: the engine alone, driven from the main thread and from a plain std::thread (the dashboard
    // trains on a QThread; this separates "another thread" from "the GUI").
    const auto headlessRun = [&](const QString &name) {
        llmf::Trainer trainer(config, llmf::prepareTrainingData(config), dir.filePath(name).toStdString());
        trainer.advance(); // warm-up (includes the step-0 evaluation)
        const auto start = std::chrono::steady_clock::now();
        for (int i = 1; i < steps; ++i)
            trainer.trainStep();
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return (steps - 1) * config.training.batch_size * config.model.max_seq_len / s;
    };
    // Alternating rounds (this machine's noise is ±15 %): medians of main-thread and std::thread runs.
    std::vector<double> mains, threads;
    for (int round = 0; round < rounds; ++round) {
        mains.push_back(headlessRun("headless" + QString::number(round)));
        if (qEnvironmentVariableIsEmpty("LLMF_KEEP_OPENMP_WORKERS")) // to measure what keeping them costs
            llmf::releaseThisThreadsOpenMPWorkers();                 // as the app's compute threads do between bursts
        std::thread([&] { threads.push_back(headlessRun("threaded" + QString::number(round))); }).join();
    }
    const double headless = percentile(mains, 0.5);
    const double threaded = percentile(threads, 0.5);

    // 2. The dashboard, with a 10 ms timer measuring how late the GUI thread serves it.
    llmf::views::TrainingDashboard dashboard;
    dashboard.resize(1280, 800);
    dashboard.show();
    dashboard.setRunsRoot(dir.filePath("runs"));
    dashboard.setSampling(0, QString());
    dashboard.setConfig(config, true, "tiny");
    std::vector<double> lateness;
    QElapsedTimer clock;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(10);
    qint64 last = 0;
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (last > 0)
            lateness.push_back(std::max(0.0, (now - last) / 1e6 - 10.0));
        last = now;
    });
    qint64 firstStep = -1;
    double gui = 0.0;
    QElapsedTimer stepClock;
    QObject::connect(dashboard.controller()->worker(), &llmf::views::TrainingWorker::stepsReady,
                     [&](const QVector<llmf::StepMetrics> &batch) {
                         if (firstStep < 0 && !batch.isEmpty()) {
                             firstStep = batch.last().step;
                             stepClock.start();
                         } else if (!batch.isEmpty() && batch.last().step == steps) {
                             gui = (steps - firstStep) * config.training.batch_size * config.model.max_seq_len /
                                   (stepClock.nsecsElapsed() / 1e9);
                         }
                     });
    QObject::connect(&dashboard, &llmf::views::TrainingDashboard::runFinished, &app, &QApplication::quit);
    clock.start();
    tick.start();
    dashboard.startTraining();
    app.exec();

    std::printf("| measure | value |\n|---|---|\n");
    std::printf("| event-loop lateness p50 (10 ms timer, during training) | %.2f ms |\n", percentile(lateness, 0.5));
    std::printf("| event-loop lateness p99 | %.2f ms |\n", percentile(lateness, 0.99));
    std::printf("| event-loop lateness max | %.2f ms |\n", percentile(lateness, 1.0));
    std::printf("| headless Trainer tokens/s (tiny, %d steps) | %.0f |\n", steps, headless);
    std::printf("| headless Trainer on a std::thread | %.0f |\n", threaded);
    for (size_t i = 0; i < mains.size(); ++i)
        std::printf("| round %zu: main thread / std::thread | %.0f / %.0f |\n", i + 1, mains[i], threads[i]);
    std::printf("| dashboard tokens/s (same config) | %.0f |\n", gui);
    std::printf("| dashboard / headless | %.3f |\n", headless > 0 ? gui / headless : 0.0);

    // 3. The Inspector loads and probes on a worker thread. Per action (open a run, a new text, showing the Logit lens
    // and Embeddings tabs, which compute when shown): how long the call holds the GUI thread, the longest the event
    // loop then waits between two turns (a 5 ms timer measures it) until the answer is drawn, and when it is drawn.
    // Per preset, untrained weights with the preset's own (cached) tokenizer.
    std::printf("\n| Inspector (ms: call on the GUI thread / longest event-loop stall / answer drawn) | open run | new "
                "text | logit lens tab | embeddings tab |\n|---|---|---|---|---|\n");
    for (const char *preset : {"tiny", "small", "rtx5060"}) {
        llmf::Config c = llmf::loadPreset(preset);
        const QString runDir = dir.filePath(QStringLiteral("inspect-") + preset);
        llmf::RunDirectory run(runDir.toStdString());
        run.create();
        llmf::saveConfig(c, run.configPath());
        llmf::prepareTrainingData(c).tokenizer.save(run.tokenizerPath());
        llmf::saveModelSafetensors(llmf::MiniLLM(c.model), run.weightsPath());
        llmf::views::InspectorPage page;
        const auto measure = [&page](const std::function<void()> &action) {
            QElapsedTimer timer, sinceTurn;
            timer.start();
            action();
            const double callMs = timer.nsecsElapsed() / 1e6;
            double stallMs = 0;
            QTimer turn;
            turn.setInterval(5);
            sinceTurn.start();
            QObject::connect(&turn, &QTimer::timeout, [&] {
                stallMs = std::max(stallMs, sinceTurn.nsecsElapsed() / 1e6 - 5.0);
                sinceTurn.restart();
            });
            turn.start();
            page.waitUntilSettled(120000);
            return QString::asprintf("%.0f / %.0f / %.0f", callMs, std::max(0.0, stallMs), timer.nsecsElapsed() / 1e6);
        };
        const QString open = measure([&] { page.openRun(runDir); });
        const QString text = measure([&] {
            page.setText(QStringLiteral("It is a truth universally acknowledged, that a single man in possession of a "
                                        "good fortune, must be in want of a wife."));
        });
        const QString lens = measure([&] { page.tabs()->setCurrentIndex(3); });
        const QString embeddings = measure([&] { page.tabs()->setCurrentIndex(4); });
        std::printf("| %s | %s | %s | %s | %s |\n", preset, qPrintable(open), qPrintable(text), qPrintable(lens),
                    qPrintable(embeddings));
    }
    return 0;
}
