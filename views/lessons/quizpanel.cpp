#include "lessons/quizpanel.h"

#include <QAbstractButton>
#include <QButtonGroup>
#include <QEvent>
#include <QGroupBox>
#include <QLabel>
#include <QRadioButton>
#include <QVBoxLayout>

namespace llmf::views {

QuizPanel::QuizPanel(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("quizPanel"));
    m_heading = new QLabel(this);
    QFont font = m_heading->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.2);
    m_heading->setFont(font);
    m_content = new QWidget(this);
    m_contentLayout = new QVBoxLayout(m_content);
    m_contentLayout->setContentsMargins(0, 0, 0, 0);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(m_content);
    layout->addStretch(1);
    retranslate();
}

void QuizPanel::setQuestions(const QVector<QuizQuestion> &questions)
{
    delete m_content;
    m_content = new QWidget(this);
    m_contentLayout = new QVBoxLayout(m_content);
    m_contentLayout->setContentsMargins(0, 0, 0, 0);
    static_cast<QVBoxLayout *>(layout())->insertWidget(1, m_content);
    m_questions = questions;
    m_rows.clear();
    m_reported = false;
    for (int q = 0; q < questions.size(); ++q) {
        auto *box = new QGroupBox(m_content);
        auto *boxLayout = new QVBoxLayout(box);
        auto *question =
            new QLabel(QStringLiteral("<b>%1.</b> %2").arg(q + 1).arg(questions[q].question.toHtmlEscaped()), box);
        question->setWordWrap(true);
        boxLayout->addWidget(question);
        Row row;
        row.group = new QButtonGroup(box);
        for (int c = 0; c < questions[q].choices.size(); ++c) {
            auto *radio = new QRadioButton(questions[q].choices[c], box);
            radio->setObjectName(QStringLiteral("quiz_%1_%2").arg(q).arg(c));
            row.group->addButton(radio, c);
            boxLayout->addWidget(radio);
        }
        row.feedback = new QLabel(box);
        row.feedback->setWordWrap(true);
        row.feedback->hide();
        boxLayout->addWidget(row.feedback);
        connect(row.group, &QButtonGroup::idClicked, this, [this, q](int choice) { onChosen(q, choice); });
        m_contentLayout->addWidget(box);
        m_rows.push_back(row);
    }
    m_heading->setVisible(!questions.isEmpty());
}

int QuizPanel::correctCount() const
{
    int n = 0;
    for (int q = 0; q < m_rows.size(); ++q)
        n += m_rows[q].answered == m_questions[q].answer ? 1 : 0;
    return n;
}

void QuizPanel::choose(int question, int choice)
{
    if (question < 0 || question >= m_rows.size())
        return;
    if (QAbstractButton *button = m_rows[question].group->button(choice)) {
        button->setChecked(true);
        onChosen(question, choice);
    }
}

QString QuizPanel::feedback(int question) const
{
    return question >= 0 && question < m_rows.size() ? m_rows[question].feedback->text() : QString();
}

void QuizPanel::onChosen(int question, int choice)
{
    m_rows[question].answered = choice;
    updateFeedback(question);
    const bool correct = choice == m_questions[question].answer;
    Q_EMIT answered(question, correct);
    if (!m_reported && correctCount() == questionCount() && questionCount() > 0) {
        m_reported = true;
        Q_EMIT allCorrect();
    }
}

void QuizPanel::updateFeedback(int question)
{
    Row &row = m_rows[question];
    if (row.answered < 0)
        return;
    const bool correct = row.answered == m_questions[question].answer;
    row.feedback->setText(correct ? tr("✔ Right. %1").arg(m_questions[question].explanation)
                                  : tr("✘ Not quite — think it through and try another answer."));
    row.feedback->setStyleSheet(correct ? QStringLiteral("color: #1a7f37;") : QStringLiteral("color: #b42318;"));
    row.feedback->show();
}

void QuizPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void QuizPanel::retranslate()
{
    m_heading->setText(tr("Check yourself"));
    for (int q = 0; q < m_rows.size(); ++q)
        updateFeedback(q);
}

} // namespace llmf::views
