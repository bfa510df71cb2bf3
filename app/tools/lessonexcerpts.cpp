// lesson_excerpts: a build step. Collects the `@excerpt PATH SYMBOL` lines of every lesson, cuts those definitions
// out of the project's sources and writes them to one JSON file that the app embeds, so lesson code is always
// the code that was built. Unresolved excerpts are reported (and listed in the JSON for the lessons test) but do
// not stop the build: the app shows what is missing instead of the code.
#include "lessons/excerptextractor.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTextStream>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    QTextStream err(stderr);
    if (args.size() != 3) {
        err << "usage: lesson_excerpts REPOSITORY_ROOT OUTPUT.json\n";
        return 2;
    }
    const QString root = args[1];
    QVector<llmf::views::ExcerptRef> refs;
    QDirIterator it(QDir(root).filePath(QStringLiteral("lessons")), {QStringLiteral("*.md")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (!file.open(QIODevice::ReadOnly)) {
            err << "lesson_excerpts: cannot read " << file.fileName() << '\n';
            return 1;
        }
        refs += llmf::views::excerptReferences(QString::fromUtf8(file.readAll()));
    }

    QStringList missing;
    const QHash<QString, QString> excerpts = llmf::views::resolveExcerpts(root, refs, &missing);
    QJsonObject code;
    for (auto e = excerpts.cbegin(); e != excerpts.cend(); ++e)
        code.insert(e.key(), e.value());
    QJsonObject out{{QStringLiteral("version"), 1},
                    {QStringLiteral("excerpts"), code},
                    {QStringLiteral("missing"), QJsonArray::fromStringList(missing)}};
    for (const QString &m : missing)
        err << "lesson_excerpts: warning: " << m << '\n';

    QSaveFile save(args[2]);
    if (!save.open(QIODevice::WriteOnly) || save.write(QJsonDocument(out).toJson()) < 0 || !save.commit()) {
        err << "lesson_excerpts: cannot write " << args[2] << '\n';
        return 1;
    }
    return 0;
}
