#include "config/parameterquiz.h"

#include "llmf/model/accounting.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

#include <cmath>

namespace llmf::views {

ParameterQuiz::ParameterQuiz(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("parameterQuiz"));
    m_question = new QLabel(this);
    m_question->setWordWrap(true);
    m_dimensions = new QLabel(this);
    m_dimensions->setWordWrap(true);
    m_dimensions->setTextFormat(Qt::RichText);
    m_answer = new QLineEdit(this);
    m_answer->setObjectName(QStringLiteral("parameterAnswer"));
    m_check = new QPushButton(this);
    m_feedback = new QLabel(this);
    m_feedback->setWordWrap(true);
    m_feedback->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(m_check, &QPushButton::clicked, this, [this] { check(m_answer->text()); });
    connect(m_answer, &QLineEdit::returnPressed, this, [this] { check(m_answer->text()); });

    auto *row = new QHBoxLayout;
    row->addWidget(m_answer, 1);
    row->addWidget(m_check);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_question);
    layout->addWidget(m_dimensions);
    layout->addLayout(row);
    layout->addWidget(m_feedback);
    layout->addStretch(1);
    retranslate();
}

void ParameterQuiz::setConfig(const llmf::Config &config, bool valid)
{
    m_config = config;
    m_valid = valid;
    m_feedback->clear();
    retranslate();
}

qint64 ParameterQuiz::parseCount(const QString &text)
{
    QString t = text.trimmed().remove(QRegularExpression(QStringLiteral("[,_\\s']")));
    double scale = 1.0;
    if (t.endsWith(QLatin1Char('k'), Qt::CaseInsensitive))
        scale = 1e3;
    else if (t.endsWith(QLatin1Char('M'), Qt::CaseInsensitive))
        scale = 1e6;
    else if (t.endsWith(QLatin1Char('B'), Qt::CaseInsensitive) || t.endsWith(QLatin1Char('G'), Qt::CaseInsensitive))
        scale = 1e9;
    if (scale != 1.0)
        t.chop(1);
    bool ok = false;
    const double value = t.toDouble(&ok) * scale;
    return ok && value >= 0 && std::isfinite(value) ? static_cast<qint64>(std::llround(value)) : -1;
}

bool ParameterQuiz::check(const QString &answer)
{
    m_answer->setText(answer);
    if (!m_valid) {
        m_feedback->setText(tr("Fix the configuration first: an invalid model has no parameter count."));
        return false;
    }
    const qint64 guess = parseCount(answer);
    if (guess < 0) {
        m_feedback->setText(tr("Type a number such as 7078144, 7,078,144 or 7.08M."));
        return false;
    }
    const qint64 truth = llmf::countParameters(m_config.model).total;
    const double error = std::abs(static_cast<double>(guess - truth)) / static_cast<double>(truth);
    const bool correct = error <= 0.01;
    if (correct)
        m_feedback->setText(tr("✔ Right: %1 parameters.").arg(QLocale().toString(truth)) + QStringLiteral("\n") +
                            workedAnswer());
    else
        m_feedback->setText(tr("✘ %1 is %2 by %3 %. Hint: count the embedding, then one block (four attention "
                               "projections, three feed-forward matrices, two norm gains), times the layers, plus "
                               "the final norm and the output layer.")
                                .arg(QLocale().toString(guess), guess > truth ? tr("too high") : tr("too low"))
                                .arg(error * 100.0, 0, 'f', 1));
    m_feedback->setStyleSheet(correct ? QStringLiteral("color: #1a7f37;") : QStringLiteral("color: #b42318;"));
    Q_EMIT answered(correct, guess, truth);
    return correct;
}

QString ParameterQuiz::feedback() const
{
    return m_feedback->text();
}

QString ParameterQuiz::workedAnswer() const
{
    const llmf::ModelConfig &m = m_config.model;
    const llmf::ParameterBreakdown b = llmf::countParameters(m);
    const QLocale locale;
    const auto n = [&locale](qint64 v) { return locale.toString(v); };
    const qint64 d = m.headDim();
    QString text = tr("embedding V×C = %1×%2 = %3").arg(m.vocab_size).arg(m.dim).arg(n(b.embedding));
    text +=
        QLatin1Char('\n') + tr("attention per layer C×(H·D) + 2·C×(KV·D) + (H·D)×C = %1").arg(n(b.perLayer.attention));
    text += QLatin1Char('\n') + tr("feed-forward per layer 3×C×F = 3×%1×%2 = %3")
                                    .arg(m.dim)
                                    .arg(m.resolvedFfnHiddenDim())
                                    .arg(n(b.perLayer.feedForward));
    text += QLatin1Char('\n') +
            tr("norms per layer 2×C = %1; × %2 layers = %3").arg(n(b.perLayer.norms)).arg(m.n_layers).arg(n(b.layers));
    text += QLatin1Char('\n') +
            tr("final norm C = %1; output layer V×C = %2 (0 when tied)").arg(n(b.finalNorm), n(b.lmHead));
    Q_UNUSED(d);
    return text;
}

void ParameterQuiz::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void ParameterQuiz::retranslate()
{
    const llmf::ModelConfig &m = m_config.model;
    m_question->setText(tr("How many parameters does this model have? Work it out from the dimensions (no biases; "
                           "head_dim D = C / H; SwiGLU hidden F), then check."));
    m_dimensions->setText(tr("V (vocab) = <b>%1</b>, C (dim) = <b>%2</b>, L (layers) = <b>%3</b>, H (heads) = "
                             "<b>%4</b>, KV (key/value heads) = <b>%5</b>, D = <b>%6</b>, F = <b>%7</b>, tied "
                             "embeddings: <b>%8</b>")
                              .arg(m.vocab_size)
                              .arg(m.dim)
                              .arg(m.n_layers)
                              .arg(m.n_heads)
                              .arg(m.n_kv_heads)
                              .arg(m.headDim())
                              .arg(m.resolvedFfnHiddenDim())
                              .arg(m.tie_embeddings ? tr("yes") : tr("no")));
    m_answer->setPlaceholderText(tr("e.g. 7.08M"));
    m_check->setText(tr("Check"));
}

} // namespace llmf::views
