#pragma once

#include "lessons/lessondocument.h"

#include <QWidget>

class QButtonGroup;
class QLabel;
class QVBoxLayout;

namespace llmf::views {

// A lesson's self-check: each question as a group of radio buttons with immediate feedback (right: the
// explanation; wrong: try again). Emits allCorrect() once every question has been answered right.
class QuizPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QuizPanel)

public:
    explicit QuizPanel(QWidget *parent = nullptr);

    void setQuestions(const QVector<llmf::views::QuizQuestion> &questions);
    int questionCount() const { return static_cast<int>(m_questions.size()); }
    int correctCount() const;
    // Picks a choice as a click would (tests, keyboard users).
    void choose(int question, int choice);
    QString feedback(int question) const;

Q_SIGNALS:
    void answered(int question, bool correct);
    void allCorrect();

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Row
    {
        QButtonGroup *group = nullptr;
        QLabel *feedback = nullptr;
        int answered = -1;
    };
    void onChosen(int question, int choice);
    void updateFeedback(int question);
    void retranslate();

    QVector<llmf::views::QuizQuestion> m_questions;
    QVector<Row> m_rows;
    QLabel *m_heading = nullptr;
    QWidget *m_content = nullptr;
    QVBoxLayout *m_contentLayout = nullptr;
    bool m_reported = false;
};

} // namespace llmf::views
