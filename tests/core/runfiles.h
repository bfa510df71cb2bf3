#pragma once

// What the multi-process tests read back from a run directory written by real `llmf` processes, with Qt only (no
// LibTorch): the step losses and last step line of metrics.jsonl, and model.safetensors as float arrays.

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QVector>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace runfiles {

inline QMap<int, double> stepLosses(const QString &runDir)
{
    QMap<int, double> losses;
    QFile f(runDir + "/metrics.jsonl");
    if (!f.open(QIODevice::ReadOnly))
        return losses;
    for (const QByteArray &line : f.readAll().split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.value("type").toString() == "step")
            losses[o.value("step").toInt()] = o.value("loss").toDouble();
    }
    return losses;
}

inline QJsonObject lastStep(const QString &runDir)
{
    QJsonObject last;
    QFile f(runDir + "/metrics.jsonl");
    if (f.open(QIODevice::ReadOnly))
        for (const QByteArray &line : f.readAll().split('\n'))
            if (QJsonDocument::fromJson(line).object().value("type").toString() == "step")
                last = QJsonDocument::fromJson(line).object();
    return last;
}

// model.safetensors as name -> float32 values (every tensor of our checkpoints is F32 on CPU).
inline QMap<QString, QVector<float>> weights(const QString &runDir)
{
    QMap<QString, QVector<float>> tensors;
    QFile f(runDir + "/model.safetensors");
    if (!f.open(QIODevice::ReadOnly))
        return tensors;
    const QByteArray bytes = f.readAll();
    quint64 headerSize = 0;
    memcpy(&headerSize, bytes.constData(), 8);
    const QJsonObject header = QJsonDocument::fromJson(bytes.mid(8, static_cast<int>(headerSize))).object();
    const char *data = bytes.constData() + 8 + headerSize;
    for (auto it = header.begin(); it != header.end(); ++it) {
        if (it.key() == "__metadata__" || it.value().toObject().value("dtype").toString() != "F32")
            continue;
        const QJsonArray offsets = it.value().toObject().value("data_offsets").toArray();
        const qint64 begin = offsets.at(0).toInteger(), end = offsets.at(1).toInteger();
        QVector<float> values((end - begin) / 4);
        memcpy(values.data(), data + begin, static_cast<size_t>(end - begin));
        tensors[it.key()] = values;
    }
    return tensors;
}

// max over tensors of |a - b| / |b| (2-norms).
inline double relativeDifference(const QMap<QString, QVector<float>> &a, const QMap<QString, QVector<float>> &b)
{
    if (a.keys() != b.keys() || a.isEmpty())
        return INFINITY;
    double worst = 0.0;
    for (auto it = a.begin(); it != a.end(); ++it) {
        const QVector<float> &other = b[it.key()];
        if (other.size() != it.value().size())
            return INFINITY;
        double diff = 0.0, norm = 0.0;
        for (int i = 0; i < other.size(); ++i) {
            diff += std::pow(double(it.value()[i]) - other[i], 2);
            norm += std::pow(double(other[i]), 2);
        }
        worst = std::max(worst, std::sqrt(diff) / std::max(std::sqrt(norm), 1e-12));
    }
    return worst;
}

// A model small enough that two processes on two cores take milliseconds a step, written to `dir`; dropout 0 (the
// presets' value), so one process with accumulation and two processes compute the same function.
inline QString writeTinyConfig(const QString &dir, int maxIters, int accum, int checkpointInterval, int evalInterval,
                               int evalIters)
{
    const QString path =
        dir + QString("/c-%1-%2-%3-%4.yaml").arg(maxIters).arg(accum).arg(checkpointInterval).arg(evalInterval);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(QString("model:\n  dim: 64\n  n_layers: 2\n  n_heads: 4\n  n_kv_heads: 2\n  vocab_size: 300\n"
                    "  max_seq_len: 32\n  dropout: 0.0\n"
                    "training:\n  batch_size: 4\n  learning_rate: 0.003\n  max_iters: %1\n  warmup_iters: 3\n"
                    "  grad_accum_steps: %2\n  eval_interval: %4\n  eval_iters: %5\n  log_interval: 1\n"
                    "  checkpoint_interval: %3\n  keep_checkpoints: 0\n  seed: 7\n"
                    "data:\n  corpus: fallback\n")
                .arg(maxIters)
                .arg(accum)
                .arg(checkpointInterval)
                .arg(evalInterval)
                .arg(evalIters)
                .toUtf8());
    return path;
}

} // namespace runfiles
