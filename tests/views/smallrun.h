#pragma once

// Shared fixture of the GUI tests that need a trained model: a tiny LLaMA trained for a few steps on generated
// English, written as a real run directory with the real engine.
#include "llmf/data/trainingdata.h"
#include "llmf/train/trainer.h"

#include <QByteArray>
#include <QFile>
#include <QSignalSpy>
#include <QString>
#include <QTemporaryDir>

namespace llmf::testing {

// QSignalSpy::wait() waits for the *next* emission; a worker thread may already have emitted (the spy records
// directly from that thread), so check the count first.
inline bool arrived(QSignalSpy &spy, int timeoutMs)
{
    return spy.count() > 0 || spy.wait(timeoutMs);
}

// ~30 KB of varied sentences: enough for a 300-token BPE vocabulary and for a few steps to learn something.
inline QByteArray englishText()
{
    const char *subjects[] = {"The old captain", "A young girl",   "The cat",     "The tired farmer",
                              "Her brother",     "The clever fox", "Our teacher", "A quiet stranger"};
    const char *verbs[] = {"walked to",    "looked at", "painted", "remembered",
                           "talked about", "visited",   "found",   "carried"};
    const char *objects[] = {"the green garden", "a small wooden boat",  "the busy market",   "an empty house",
                             "the quiet river",  "a letter from London", "the morning train", "the red door"};
    const char *tails[] = {"before dinner.",    "in the rain.", "with great care.",
                           "after a long day.", "once again.",  "without a word."};
    QByteArray text;
    for (int i = 0; text.size() < 30000; ++i)
        text += QByteArray(subjects[i % 8]) + ' ' + verbs[(i / 8) % 8] + ' ' + objects[(i / 3 + i) % 8] + ' ' +
                tails[(i * 7) % 6] + (i % 5 == 4 ? "\n" : " ");
    return text;
}

struct SmallRunOptions
{
    int64_t steps = 20;
    int64_t batchSize = 4;
    double learningRate = 3e-4;
};

// Trains dim 32 / 2 layers / 4 heads / 2 KV heads / vocab 300 / context 64 in `dir` (its cache in dir/cache,
// also set as LLMF_CACHE_DIR) and returns the run directory; empty on failure.
inline QString trainSmallRun(const QTemporaryDir &dir, const SmallRunOptions &options = {})
{
    qputenv("LLMF_CACHE_DIR", dir.filePath(QStringLiteral("cache")).toUtf8());
    const QString textFile = dir.filePath(QStringLiteral("text.txt"));
    QFile f(textFile);
    if (!f.open(QIODevice::WriteOnly) || f.write(englishText()) < 0)
        return {};
    f.close();

    Config c;
    c.model.dim = 32;
    c.model.n_layers = 2;
    c.model.n_heads = 4;
    c.model.n_kv_heads = 2;
    c.model.vocab_size = 300;
    c.model.max_seq_len = 64;
    c.training.batch_size = options.batchSize;
    c.training.max_iters = options.steps;
    c.training.learning_rate = options.learningRate;
    c.training.min_lr = options.learningRate / 10;
    c.training.warmup_iters = 2;
    c.training.eval_interval = 1000;
    c.training.eval_iters = 2;
    c.training.checkpoint_interval = 0;
    c.training.device = "cpu";
    c.data.file_path = textFile.toStdString();
    const QString runDir = dir.filePath(QStringLiteral("run"));
    TrainingData data = prepareTrainingData(c, dir.filePath(QStringLiteral("cache")).toStdString());
    Trainer(c, std::move(data), runDir.toStdString()).run();
    return QFile::exists(runDir + QStringLiteral("/model.safetensors")) ? runDir : QString();
}

} // namespace llmf::testing
