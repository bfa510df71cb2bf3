#pragma once

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>

namespace llmf::views {

class LessonCatalog;

// The learner's progress: which of the 16 checklist items are done (ticked by hand, or earned by something they
// did in the app, with the reason), and which lessons' self-checks they passed. Saved atomically to a JSON file
// after every change, so a crash loses nothing and a torn write never corrupts it; an unreadable file is kept
// aside as <file>.corrupt and reported, never silently overwritten.
class ChecklistStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChecklistStore)

public:
    struct Entry
    {
        bool done = false;
        bool automatic = false; // earned from evidence rather than ticked by hand
        QString reason;         // what earned it (automatic entries)
        QDateTime when;
    };

    // `path` empty = checklist.json in the app's data folder.
    explicit ChecklistStore(const QString &path = QString(), QObject *parent = nullptr);

    static QString defaultPath();
    QString path() const { return m_path; }
    // Why loading failed (empty when the file was fine or absent).
    QString loadWarning() const { return m_loadWarning; }
    // Why the last save failed (empty when it worked); the state in memory is kept.
    QString saveError() const { return m_saveError; }

    Entry entry(const QString &itemId) const { return m_entries.value(itemId); }
    bool isDone(const QString &itemId) const { return m_entries.value(itemId).done; }
    int doneCount(const QStringList &itemIds) const;

    // By hand.
    void setDone(const QString &itemId, bool done);
    // From evidence: ticks the item and remembers why. Items already done keep their first reason. Returns whether
    // this earned something new.
    bool earn(const QString &itemId, const QString &reason);

    void markLessonPassed(const QString &lessonId);
    bool isLessonPassed(const QString &lessonId) const { return m_passedLessons.contains(lessonId); }

    void reset();

    // The checklist as Markdown task lists in `language`, with progress and the reasons of earned items.
    QString toMarkdown(const LessonCatalog &catalog, const QString &language) const;

Q_SIGNALS:
    void changed(const QString &itemId); // empty after reset()
    void earned(const QString &itemId, const QString &reason);
    void lessonPassed(const QString &lessonId);

private:
    void load();
    void save();

    QString m_path;
    QHash<QString, Entry> m_entries;
    QSet<QString> m_passedLessons;
    QString m_loadWarning;
    QString m_saveError;
};

} // namespace llmf::views
