#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace llmf::views {

// Code excerpts for the lessons, cut out of the project's own sources by symbol (lessons/README.md). Used at build
// time by the lesson_excerpts tool and by the lessons test; Qt Core only, so the tool stays a small program.
//
// Example: extractDefinition(rmsnorm.cpp's text, "RMSNormImpl::forward") returns
//     torch::Tensor RMSNormImpl::forward(const torch::Tensor &x)
//     {
//         ...
//     }
// with the comment lines directly above the definition and the common indentation removed.
struct ExcerptRef
{
    QString path;   // relative to the repository root
    QString symbol; // "RMSNormImpl::forward", "ModelConfig", or "*" for the whole file

    QString key() const { return path + QLatin1Char(' ') + symbol; }
};

// The definition of `symbol` in `source`: the first function or type of that name whose `{` comes before any `;`,
// up to its matching `}`. "Name#2" takes the second definition (an overload). Empty when there is none.
QString extractDefinition(const QString &source, const QString &symbol);

// The `@excerpt PATH SYMBOL` lines of a lesson, in order.
QVector<ExcerptRef> excerptReferences(const QString &markdown);
bool parseExcerptLine(const QString &line, ExcerptRef *ref);

// Resolves every reference against the sources under `root`. Unresolved keys are listed in `missing` (with why).
QHash<QString, QString> resolveExcerpts(const QString &root, const QVector<ExcerptRef> &refs, QStringList *missing);

// The fence language for a file: cpp, yaml, cmake or text.
QString fenceLanguage(const QString &path);

} // namespace llmf::views
