#pragma once

#include "lessons/lessondocument.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QPushButton;
class QTextBrowser;
class QTreeWidget;
class QTreeWidgetItem;

namespace llmf::views {

class ActionRegistry;
class ChecklistStore;
class LessonCatalog;
class MessageBanner;
class QuizPanel;

// The guided course: stages and lessons on the left, the lesson on the right (Markdown with code excerpts from the
// project's own sources and llmf: links that drive the other pages), its self-check under it, and Previous/Next.
// Passing a lesson's self-check marks it done and earns the checklist items it serves.
class LessonsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LessonsPage)

public:
    LessonsPage(const LessonCatalog *catalog, ActionRegistry *actions, ChecklistStore *store,
                QWidget *parent = nullptr);

    // Where the Markdown and excerpts.json live (":/lessons" in the app).
    void setLessonsRoot(const QString &root);
    void setLanguage(const QString &language);

    bool openLesson(const QString &lessonId);
    QString currentLesson() const { return m_current; }
    const LessonDocument &document() const { return m_document; }
    QTextBrowser *browser() const { return m_browser; }
    QuizPanel *quiz() const { return m_quiz; }
    QString bannerText() const;

    // Runs an llmf: link as a click in the text would (tests).
    void activateLink(const QUrl &url);

Q_SIGNALS:
    void lessonOpened(const QString &lessonId);

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildUi();
    void retranslate();
    void populateTree();
    void updateHeader();
    void shadeCodeBlocks();
    void updateNavigation();
    void onQuizPassed();
    QString neighbour(int offset) const;

    const LessonCatalog *m_catalog;
    ActionRegistry *m_actions;
    ChecklistStore *m_store;
    QString m_root = QStringLiteral(":/lessons");
    QString m_language = QStringLiteral("en");
    QString m_current;
    QHash<QString, QString> m_excerpts;
    LessonDocument m_document;

    QTreeWidget *m_tree = nullptr;
    QHash<QString, QTreeWidgetItem *> m_items;
    QLabel *m_lessonTitle = nullptr;
    QLabel *m_lessonMeta = nullptr;
    MessageBanner *m_banner = nullptr;
    QTextBrowser *m_browser = nullptr;
    QuizPanel *m_quiz = nullptr;
    QPushButton *m_previous = nullptr;
    QPushButton *m_next = nullptr;
};

} // namespace llmf::views
