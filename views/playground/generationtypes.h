#pragma once

#include "llmf/config/generationconfig.h"

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

namespace llmf::views {

// Value structs that cross from the generation thread to the GUI in queued signals (docs/architecture.md §7). No torch
// here: the logits row travels as plain floats so that views/ headers stay free of LibTorch.

struct GenerationRequest
{
    int id = 0;        // chosen by the controller; every signal about this request carries it
    quint64 epoch = 0; // the controller's cancel epoch at submission: a Stop after it cancels this request
    QString prompt;
    llmf::GenerationConfig config;
    bool withLogits = false; // each token carries its logits row (the Playground's next-token view needs it)
};

struct GeneratedToken
{
    qint32 id = 0;
    QString piece;           // the text this token completes ("" for the first bytes of a split character)
    float probability = 0.f; // of this token in the distribution it was drawn from
    qint64 position = 0;     // index in prompt + generated tokens
    QVector<float> logits;   // (V) the row the sampler saw; empty unless the request asked for it
};

struct GenerationSummary
{
    int requestId = 0;
    QString text; // generated text only
    QVector<qint32> promptIds;
    int tokenCount = 0;
    double prefillSeconds = 0.0;
    double decodeSeconds = 0.0;
    double tokensPerSecond = 0.0;
    bool stoppedByEos = false;
    bool cancelled = false;
};

// What the page needs to know about an opened run.
struct RunInfo
{
    QString directory;
    qint64 step = 0;
    qint64 parameters = 0;
    int vocabSize = 0;
    int maxSeqLen = 0;
    QStringList tokenLabels; // id -> short display form (" the" -> "␣the"), for chart tick labels and tooltips
};

} // namespace llmf::views

Q_DECLARE_METATYPE(llmf::views::GenerationRequest)
Q_DECLARE_METATYPE(llmf::views::GeneratedToken)
Q_DECLARE_METATYPE(llmf::views::GenerationSummary)
Q_DECLARE_METATYPE(llmf::views::RunInfo)
