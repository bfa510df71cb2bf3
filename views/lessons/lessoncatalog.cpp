#include "lessons/lessoncatalog.h"

#include <QFile>

#include <yaml-cpp/yaml.h>

namespace llmf::views {

namespace {

// Thrown inside the parser only; load() turns it into the error text.
struct ManifestError
{
    QString message;
};

QString where(const YAML::Node &node)
{
    return node.Mark().is_null() ? QString() : QStringLiteral("line %1: ").arg(node.Mark().line + 1);
}

QString requireString(const YAML::Node &parent, const char *key, const QString &context)
{
    const YAML::Node value = parent[key];
    if (!value || !value.IsScalar() || value.Scalar().empty())
        throw ManifestError{
            QStringLiteral("%1%2 needs a non-empty \"%3\"").arg(where(parent), context, QLatin1String(key))};
    return QString::fromStdString(value.Scalar());
}

LocalizedText requireTitle(const YAML::Node &parent, const QString &context)
{
    const YAML::Node title = parent["title"];
    if (!title || !title.IsMap())
        throw ManifestError{QStringLiteral("%1%2 needs a title: {en: ..., zh_CN: ...}").arg(where(parent), context)};
    return {requireString(title, "en", context + QStringLiteral(" title")),
            requireString(title, "zh_CN", context + QStringLiteral(" title"))};
}

QStringList stringList(const YAML::Node &parent, const char *key, const QString &context)
{
    QStringList out;
    const YAML::Node list = parent[key];
    if (!list)
        return out;
    if (!list.IsSequence())
        throw ManifestError{
            QStringLiteral("%1%2: \"%3\" must be a list").arg(where(list), context, QLatin1String(key))};
    for (const YAML::Node &item : list)
        out << QString::fromStdString(item.as<std::string>());
    return out;
}

} // namespace

QString LocalizedText::in(const QString &language) const
{
    return language == QLatin1String("zh_CN") && !zh.isEmpty() ? zh : en;
}

QString LessonCatalog::markdownPath(const QString &lessonsRoot, const QString &lessonId, const QString &language)
{
    const QString folder = language == QLatin1String("zh_CN") ? QStringLiteral("zh_CN") : QStringLiteral("en");
    return QStringLiteral("%1/%2/%3.md").arg(lessonsRoot, folder, lessonId);
}

bool LessonCatalog::loadFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    if (!load(file.readAll(), error)) {
        *error = QStringLiteral("%1: %2").arg(path, *error);
        return false;
    }
    return true;
}

bool LessonCatalog::load(const QByteArray &yaml, QString *error)
{
    QVector<Stage> stages;
    QVector<ChecklistGroup> checklist;
    try {
        const YAML::Node root = YAML::Load(yaml.toStdString());
        if (!root.IsMap() || !root["version"] || root["version"].as<int>() != 1)
            throw ManifestError{QStringLiteral("the manifest must start with \"version: 1\"")};
        for (const YAML::Node &groupNode : root["checklist"]) {
            ChecklistGroup group;
            group.id = requireString(groupNode, "id", QStringLiteral("a checklist group"));
            group.title = requireTitle(groupNode, QStringLiteral("checklist group %1").arg(group.id));
            for (const YAML::Node &itemNode : groupNode["items"]) {
                ChecklistItem item;
                item.id = requireString(itemNode, "id", QStringLiteral("an item of group %1").arg(group.id));
                item.title = requireTitle(itemNode, QStringLiteral("checklist item %1").arg(item.id));
                group.items.push_back(item);
            }
            checklist.push_back(group);
        }
        for (const YAML::Node &stageNode : root["stages"]) {
            Stage stage;
            stage.id = requireString(stageNode, "id", QStringLiteral("a stage"));
            stage.title = requireTitle(stageNode, QStringLiteral("stage %1").arg(stage.id));
            for (const YAML::Node &lessonNode : stageNode["lessons"]) {
                Lesson lesson;
                lesson.id = requireString(lessonNode, "id", QStringLiteral("a lesson of stage %1").arg(stage.id));
                const QString context = QStringLiteral("lesson %1").arg(lesson.id);
                lesson.stageId = stage.id;
                lesson.title = requireTitle(lessonNode, context);
                lesson.minutes = lessonNode["minutes"] ? lessonNode["minutes"].as<int>() : 0;
                lesson.checklist = stringList(lessonNode, "checklist", context);
                lesson.actions = stringList(lessonNode, "actions", context);
                lesson.sources = stringList(lessonNode, "sources", context);
                stage.lessons.push_back(lesson);
            }
            stages.push_back(stage);
        }
    } catch (const ManifestError &e) {
        *error = e.message;
        return false;
    } catch (const YAML::Exception &e) {
        *error = QString::fromStdString(e.what());
        return false;
    }
    if (stages.isEmpty()) {
        *error = QStringLiteral("the manifest lists no stages");
        return false;
    }
    m_stages = stages;
    m_checklist = checklist;
    return true;
}

const Lesson *LessonCatalog::lesson(const QString &id) const
{
    for (const Stage &stage : m_stages)
        for (const Lesson &lesson : stage.lessons)
            if (lesson.id == id)
                return &lesson;
    return nullptr;
}

QStringList LessonCatalog::lessonIds() const
{
    QStringList ids;
    for (const Stage &stage : m_stages)
        for (const Lesson &lesson : stage.lessons)
            ids << lesson.id;
    return ids;
}

QStringList LessonCatalog::checklistItemIds() const
{
    QStringList ids;
    for (const ChecklistGroup &group : m_checklist)
        for (const ChecklistItem &item : group.items)
            ids << item.id;
    return ids;
}

const ChecklistItem *LessonCatalog::checklistItem(const QString &id) const
{
    for (const ChecklistGroup &group : m_checklist)
        for (const ChecklistItem &item : group.items)
            if (item.id == id)
                return &item;
    return nullptr;
}

} // namespace llmf::views
