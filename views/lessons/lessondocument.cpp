#include "lessons/lessondocument.h"

#include "lessons/excerptextractor.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <yaml-cpp/yaml.h>

namespace llmf::views {

namespace {

bool parseQuiz(const QString &yaml, QuizQuestion *quiz, QString *error)
{
    try {
        const YAML::Node node = YAML::Load(yaml.toStdString());
        if (!node.IsMap() || !node["question"] || !node["choices"] || !node["answer"]) {
            *error = QStringLiteral("a quiz needs question, choices and answer");
            return false;
        }
        quiz->question = QString::fromStdString(node["question"].as<std::string>());
        for (const YAML::Node &choice : node["choices"])
            quiz->choices << QString::fromStdString(choice.as<std::string>());
        quiz->answer = node["answer"].as<int>();
        if (node["explain"])
            quiz->explanation = QString::fromStdString(node["explain"].as<std::string>());
    } catch (const YAML::Exception &e) {
        *error = QString::fromStdString(e.what());
        return false;
    }
    if (quiz->choices.size() < 2 || quiz->answer < 0 || quiz->answer >= quiz->choices.size()) {
        *error = QStringLiteral("a quiz needs at least two choices and an answer between 0 and %1")
                     .arg(quiz->choices.size() - 1);
        return false;
    }
    return true;
}

bool isCheckYourselfHeading(const QString &line)
{
    const QString t = line.trimmed();
    return t.startsWith(QLatin1String("## ")) &&
           (t.contains(QLatin1String("Check yourself"), Qt::CaseInsensitive) || t.contains(QStringLiteral("自测")));
}

} // namespace

LessonDocument LessonDocument::parse(const QString &markdown, const QHash<QString, QString> &excerpts)
{
    LessonDocument doc;
    QStringList out;
    const QStringList lines = markdown.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const QString &line = lines[i];
        if (line.trimmed() == QLatin1String("```quiz")) {
            const int start = i;
            QStringList body;
            while (++i < lines.size() && lines[i].trimmed() != QLatin1String("```"))
                body << lines[i];
            QuizQuestion quiz;
            QString error;
            if (parseQuiz(body.join(QLatin1Char('\n')), &quiz, &error))
                doc.quizzes.push_back(quiz);
            else
                doc.errors << QStringLiteral("line %1: %2").arg(start + 1).arg(error);
            continue;
        }
        if (isCheckYourselfHeading(line))
            continue; // the questions are shown under the text, with their own heading
        ExcerptRef ref;
        if (parseExcerptLine(line, &ref)) {
            const auto found = excerpts.constFind(ref.key());
            if (found == excerpts.cend()) {
                doc.missingExcerpts << ref.key();
                out << QStringLiteral("> `%1` — %2 (excerpt not embedded in this build)").arg(ref.symbol, ref.path);
                continue;
            }
            const QString caption = ref.symbol == QLatin1String("*")
                                        ? QStringLiteral("*%1*").arg(ref.path)
                                        : QStringLiteral("*%1 — `%2`*").arg(ref.path, ref.symbol);
            out << QStringLiteral("```%1").arg(fenceLanguage(ref.path)) << found.value() << QStringLiteral("```")
                << QString() << caption;
            continue;
        }
        out << line;
    }
    doc.markdown = out.join(QLatin1Char('\n'));

    static const QRegularExpression link(QStringLiteral("\\]\\((llmf:[^)\\s]+)\\)"));
    for (auto it = link.globalMatch(doc.markdown); it.hasNext();)
        doc.actionLinks << QUrl(it.next().captured(1));
    return doc;
}

QHash<QString, QString> loadEmbeddedExcerpts(const QString &path, QStringList *missing)
{
    QHash<QString, QString> excerpts;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return excerpts;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonObject code = root.value(QStringLiteral("excerpts")).toObject();
    for (auto it = code.begin(); it != code.end(); ++it)
        excerpts.insert(it.key(), it.value().toString());
    if (missing)
        for (const QJsonValue &m : root.value(QStringLiteral("missing")).toArray())
            *missing << m.toString();
    return excerpts;
}

} // namespace llmf::views
