#pragma once

#include <QHash>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QVector>

namespace llmf::views {

// One self-check question of a lesson (a ```quiz block).
struct QuizQuestion
{
    QString question;
    QStringList choices;
    int answer = -1; // index into choices
    QString explanation;
};

// A lesson's Markdown made ready for display: `@excerpt` lines replaced by the embedded code, the quiz blocks
// (and the "Check yourself" heading above them) taken out to be shown as forms, and the action links listed.
struct LessonDocument
{
    QString markdown;
    QVector<QuizQuestion> quizzes;
    QVector<QUrl> actionLinks;   // every llmf: link, in order
    QStringList missingExcerpts; // "path symbol" of excerpts that were not embedded
    QStringList errors;          // malformed quiz blocks, with the line they start on

    static LessonDocument parse(const QString &markdown, const QHash<QString, QString> &excerpts);
};

// The excerpts the build embedded (:/lessons/excerpts.json): key "path symbol" → code.
QHash<QString, QString> loadEmbeddedExcerpts(const QString &path = QStringLiteral(":/lessons/excerpts.json"),
                                             QStringList *missing = nullptr);

} // namespace llmf::views
