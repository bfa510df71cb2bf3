#include "checklist/checkliststore.h"

#include "common/appdata.h"

#include "lessons/lessoncatalog.h"
#include "llmf/common/atomicfile.h"
#include "llmf/common/error.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

namespace llmf::views {

ChecklistStore::ChecklistStore(const QString &path, QObject *parent)
    : QObject(parent), m_path(path.isEmpty() ? defaultPath() : path)
{
    load();
}

QString ChecklistStore::defaultPath()
{
    return QDir(appDataDirectory()).filePath(QStringLiteral("checklist.json"));
}

int ChecklistStore::doneCount(const QStringList &itemIds) const
{
    int n = 0;
    for (const QString &id : itemIds)
        n += isDone(id) ? 1 : 0;
    return n;
}

void ChecklistStore::setDone(const QString &itemId, bool done)
{
    Entry &entry = m_entries[itemId];
    if (entry.done == done)
        return;
    entry = Entry{done, false, QString(), QDateTime::currentDateTimeUtc()};
    save();
    Q_EMIT changed(itemId);
}

bool ChecklistStore::earn(const QString &itemId, const QString &reason)
{
    Entry &entry = m_entries[itemId];
    if (entry.done)
        return false;
    entry = Entry{true, true, reason, QDateTime::currentDateTimeUtc()};
    save();
    Q_EMIT changed(itemId);
    Q_EMIT earned(itemId, reason);
    return true;
}

void ChecklistStore::markLessonPassed(const QString &lessonId)
{
    if (m_passedLessons.contains(lessonId))
        return;
    m_passedLessons.insert(lessonId);
    save();
    Q_EMIT lessonPassed(lessonId);
}

void ChecklistStore::reset()
{
    m_entries.clear();
    m_passedLessons.clear();
    save();
    Q_EMIT changed(QString());
}

void ChecklistStore::load()
{
    QFile file(m_path);
    if (!file.exists())
        return;
    QJsonParseError parseError;
    const QJsonDocument doc =
        file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll(), &parseError) : QJsonDocument();
    const QJsonObject root = doc.object();
    if (doc.isNull() || root.value(QStringLiteral("version")).toInt() != 1) {
        // Keep the learner's file for them to look at; start afresh without overwriting it.
        const QString aside = m_path + QStringLiteral(".corrupt");
        QFile::remove(aside);
        file.close();
        QFile::rename(m_path, aside);
        m_loadWarning = tr("The checklist file %1 could not be read (%2); it was moved to %3 and the checklist "
                           "starts empty.")
                            .arg(QDir::toNativeSeparators(m_path),
                                 doc.isNull() ? parseError.errorString() : tr("unknown format version"),
                                 QDir::toNativeSeparators(aside));
        return;
    }
    const QJsonObject items = root.value(QStringLiteral("items")).toObject();
    for (auto it = items.begin(); it != items.end(); ++it) {
        const QJsonObject o = it.value().toObject();
        Entry entry;
        entry.done = o.value(QStringLiteral("done")).toBool();
        entry.automatic = o.value(QStringLiteral("source")).toString() == QLatin1String("auto");
        entry.reason = o.value(QStringLiteral("reason")).toString();
        entry.when = QDateTime::fromString(o.value(QStringLiteral("when")).toString(), Qt::ISODate);
        m_entries.insert(it.key(), entry);
    }
    for (const QJsonValue &lesson : root.value(QStringLiteral("lessons_passed")).toArray())
        m_passedLessons.insert(lesson.toString());
}

void ChecklistStore::save()
{
    QJsonObject items;
    for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
        if (!it->done)
            continue;
        items.insert(it.key(), QJsonObject{{QStringLiteral("done"), true},
                                           {QStringLiteral("source"),
                                            it->automatic ? QStringLiteral("auto") : QStringLiteral("manual")},
                                           {QStringLiteral("reason"), it->reason},
                                           {QStringLiteral("when"), it->when.toString(Qt::ISODate)}});
    }
    QStringList lessons(m_passedLessons.cbegin(), m_passedLessons.cend());
    lessons.sort();
    const QJsonObject root{{QStringLiteral("version"), 1},
                           {QStringLiteral("items"), items},
                           {QStringLiteral("lessons_passed"), QJsonArray::fromStringList(lessons)}};
    try {
        QDir().mkpath(QFileInfo(m_path).absolutePath());
        const QByteArray bytes = QJsonDocument(root).toJson();
        llmf::writeFileAtomically(QFile::encodeName(m_path).toStdString(),
                                  std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())));
        m_saveError.clear();
    } catch (const llmf::Error &e) {
        m_saveError = QString::fromStdString(e.what());
    }
}

QString ChecklistStore::toMarkdown(const LessonCatalog &catalog, const QString &language) const
{
    const QStringList all = catalog.checklistItemIds();
    QString md = tr("# Learning checklist") + QStringLiteral("\n\n");
    md += tr("%1 of %2 done.").arg(doneCount(all)).arg(all.size()) + QStringLiteral("\n");
    for (const ChecklistGroup &group : catalog.checklist()) {
        QStringList ids;
        for (const ChecklistItem &item : group.items)
            ids << item.id;
        md += QStringLiteral("\n## %1 (%2/%3)\n\n").arg(group.title.in(language)).arg(doneCount(ids)).arg(ids.size());
        for (const ChecklistItem &item : group.items) {
            const Entry e = entry(item.id);
            md += QStringLiteral("- [%1] %2")
                      .arg(e.done ? QLatin1Char('x') : QLatin1Char(' '))
                      .arg(item.title.in(language));
            if (e.done && e.automatic && !e.reason.isEmpty())
                md += QStringLiteral(" — ") + e.reason;
            md += QLatin1Char('\n');
        }
    }
    return md;
}

} // namespace llmf::views
