#include "inspector/checkpointslider.h"

#include <QDir>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QRegularExpression>
#include <QSlider>

#include <algorithm>

namespace llmf::views {

CheckpointSlider::CheckpointSlider(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("checkpointSlider"));
    m_caption = new QLabel(this);
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setTickPosition(QSlider::TicksBelow);
    m_slider->setPageStep(1);
    m_value = new QLabel(this);
    m_value->setMinimumWidth(m_value->fontMetrics().horizontalAdvance(QStringLiteral("step 0000000 (latest)")));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_caption);
    layout->addWidget(m_slider, 1);
    layout->addWidget(m_value);
    m_settle.setSingleShot(true);
    m_settle.setInterval(200);
    connect(&m_settle, &QTimer::timeout, this, &CheckpointSlider::emitChoice);
    connect(m_slider, &QSlider::valueChanged, this, [this] {
        retranslate();
        m_settle.start();
    });
    retranslate();
    hide();
}

void CheckpointSlider::setRun(const QString &runDir, qint64 latestStep)
{
    m_frames.clear();
    // The trainer's snapshot names (RunDirectory::historyPath): step-0000100.safetensors.
    static const QRegularExpression name(QStringLiteral("^step-(\\d{7})\\.safetensors$"));
    const QDir folder(QDir(runDir).filePath(QStringLiteral("checkpoints")));
    for (const QString &file : folder.entryList(QDir::Files, QDir::Name)) {
        const QRegularExpressionMatch match = name.match(file);
        if (match.hasMatch() && match.captured(1).toLongLong() < latestStep)
            m_frames.push_back({match.captured(1).toLongLong(), folder.filePath(file)});
    }
    m_frames.push_back({latestStep, QString()}); // model.safetensors: what the rest of the app uses
    const QSignalBlocker block(m_slider);
    m_slider->setRange(0, static_cast<int>(m_frames.size()) - 1);
    m_slider->setValue(m_slider->maximum());
    setVisible(m_frames.size() > 1);
    retranslate();
}

void CheckpointSlider::setIndex(int index)
{
    m_slider->setValue(index);
    m_settle.stop();
    emitChoice();
}

int CheckpointSlider::index() const
{
    return m_slider->value();
}

qint64 CheckpointSlider::currentStep() const
{
    const int i = m_slider->value();
    return i >= 0 && i < m_frames.size() ? m_frames[i].step : -1;
}

void CheckpointSlider::emitChoice()
{
    const int i = m_slider->value();
    if (i >= 0 && i < m_frames.size())
        Q_EMIT weightsChosen(m_frames[i].path, m_frames[i].step);
}

void CheckpointSlider::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void CheckpointSlider::retranslate()
{
    m_caption->setText(tr("Weights from training step:"));
    m_slider->setToolTip(tr("Drag to see the model as it was at each saved checkpoint, from the untrained model at "
                            "step 0 to the latest weights."));
    const int i = m_slider->value();
    if (i < 0 || i >= m_frames.size())
        return;
    m_value->setText(m_frames[i].path.isEmpty() ? tr("step %1 (latest)").arg(m_frames[i].step)
                                                : tr("step %1").arg(m_frames[i].step));
}

} // namespace llmf::views
