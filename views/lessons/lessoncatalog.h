#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

namespace llmf::views {

// A string in both languages of the app.
struct LocalizedText
{
    QString en;
    QString zh;
    // "zh_CN" gives the Chinese text (falling back to English when it is missing), anything else English.
    QString in(const QString &language) const;
};

struct ChecklistItem
{
    QString id;
    LocalizedText title;
};

struct ChecklistGroup
{
    QString id;
    LocalizedText title;
    QVector<ChecklistItem> items;
};

struct Lesson
{
    QString id;
    QString stageId;
    LocalizedText title;
    int minutes = 0;
    QStringList checklist; // checklist item ids this lesson serves
    QStringList actions;   // action names its llmf: links use
    QStringList sources;   // repository files it walks through
};

struct Stage
{
    QString id;
    LocalizedText title;
    QVector<Lesson> lessons;
};

// lessons/manifest.yaml: the stages and lessons of the course and the learning checklist (format:
// lessons/README.md). Content is embedded in the app as :/lessons/…
class LessonCatalog
{
public:
    static QString defaultManifestPath() { return QStringLiteral(":/lessons/manifest.yaml"); }
    // Markdown of a lesson in a language ("en" or "zh_CN") under `lessonsRoot` (":/lessons" in the app).
    static QString markdownPath(const QString &lessonsRoot, const QString &lessonId, const QString &language);

    // Parses a manifest. On failure returns false and says where (line, key) and what is wrong.
    bool load(const QByteArray &yaml, QString *error);
    bool loadFile(const QString &path, QString *error);

    const QVector<Stage> &stages() const { return m_stages; }
    const QVector<ChecklistGroup> &checklist() const { return m_checklist; }
    const Lesson *lesson(const QString &id) const;
    QStringList lessonIds() const; // course order
    QStringList checklistItemIds() const;
    const ChecklistItem *checklistItem(const QString &id) const;

private:
    QVector<Stage> m_stages;
    QVector<ChecklistGroup> m_checklist;
};

} // namespace llmf::views
