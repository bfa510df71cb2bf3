#pragma once

#include <QHash>
#include <QWidget>

class QCheckBox;
class QGroupBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace llmf::views {

class ChecklistStore;
class LessonCatalog;
class MessageBanner;

// The guide's learning checklist: 16 items in four groups with per-group and total progress. Items are ticked by
// hand or earned from what the learner did in the app (each earned item says what earned it); progress persists
// in a ChecklistStore; Export writes Markdown, Reset starts over.
class ChecklistPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChecklistPage)

public:
    ChecklistPage(const LessonCatalog *catalog, ChecklistStore *store, QWidget *parent = nullptr);

    void setLanguage(const QString &language);
    void setConfirmReset(bool confirm) { m_confirmReset = confirm; }

    // For tests and the window.
    QCheckBox *checkBox(const QString &itemId) const { return m_boxes.value(itemId); }
    QString reasonText(const QString &itemId) const;
    int totalProgress() const;                       // percent
    int groupProgress(const QString &groupId) const; // percent
    bool exportMarkdown(const QString &path);
    QString bannerText() const;

public Q_SLOTS:
    void reset();

Q_SIGNALS:
    void lessonRequested(const QString &lessonId);

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildUi();
    void retranslate();
    void refresh();
    void chooseExportPath();

    const LessonCatalog *m_catalog;
    ChecklistStore *m_store;
    QString m_language = QStringLiteral("en");
    bool m_confirmReset = true;
    QLabel *m_title = nullptr;
    QLabel *m_intro = nullptr;
    MessageBanner *m_banner = nullptr;
    QLabel *m_totalLabel = nullptr;
    QProgressBar *m_total = nullptr;
    QPushButton *m_export = nullptr;
    QPushButton *m_reset = nullptr;
    QHash<QString, QGroupBox *> m_groups;
    QHash<QString, QProgressBar *> m_groupBars;
    QHash<QString, QCheckBox *> m_boxes;
    QHash<QString, QLabel *> m_reasons;
};

} // namespace llmf::views
