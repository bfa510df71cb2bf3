// The lessons: manifest YAML, lesson Markdown with its quiz blocks and `@excerpt` lines, and the `llmf:` links in
// it (a learner may write or download lessons). The input is split at its first NUL into manifest and Markdown.
#include "fuzztarget.h"

#include "lessons/actionregistry.h"
#include "lessons/lessoncatalog.h"
#include "lessons/lessondocument.h"

#include <QUrlQuery>

LLMF_FUZZ_TARGET(lessons)
{
    const QByteArray input(reinterpret_cast<const char *>(data), static_cast<int>(size));
    const int nul = input.indexOf('\0');
    llmf::views::LessonCatalog catalog;
    QString error;
    catalog.load(nul < 0 ? input : input.left(nul), &error);
    for (const QString &id : catalog.checklistItemIds())
        catalog.checklistItem(id);

    const QString markdown = QString::fromUtf8(nul < 0 ? QByteArray() : input.mid(nul + 1));
    const QHash<QString, QString> excerpts{
        {QStringLiteral("core/src/model/attention.cpp forward"), QStringLiteral("int forward();")}};
    const llmf::views::LessonDocument document = llmf::views::LessonDocument::parse(markdown, excerpts);
    // Every link goes through the registry the window uses; its one handler reads the query like the real ones.
    llmf::views::ActionRegistry registry;
    registry.registerAction(QStringLiteral("config"), [](const QUrlQuery &query) {
        return query.queryItemValue(QStringLiteral("preset"), QUrl::FullyDecoded);
    });
    for (const QUrl &link : document.actionLinks)
        registry.trigger(link);
    for (const llmf::views::QuizQuestion &quiz : document.quizzes)
        if (quiz.answer < 0 || quiz.answer >= quiz.choices.size())
            __builtin_trap(); // a quiz shown to the learner must have its answer among its choices
    return 0;
}
