#pragma once

#include "llmf/config/config.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

namespace llmf::views {

// Config Studio's quiz: "how many parameters does this model have?" The learner works it out from the
// dimensions shown, types a number (7078144, 7,078,144 or 7.08M) and gets the worked answer; within 1 % counts.
class ParameterQuiz final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ParameterQuiz)

public:
    explicit ParameterQuiz(QWidget *parent = nullptr);

    void setConfig(const llmf::Config &config, bool valid);
    // Checks an answer as the Check button does. Returns whether it was right.
    bool check(const QString &answer);
    QString feedback() const;

    // "7.08M" → 7080000; -1 when it is not a number.
    static qint64 parseCount(const QString &text);

Q_SIGNALS:
    void answered(bool correct, qint64 answer, qint64 truth);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    QString workedAnswer() const;

    llmf::Config m_config;
    bool m_valid = true;
    QLabel *m_question = nullptr;
    QLabel *m_dimensions = nullptr;
    QLineEdit *m_answer = nullptr;
    QPushButton *m_check = nullptr;
    QLabel *m_feedback = nullptr;
};

} // namespace llmf::views
