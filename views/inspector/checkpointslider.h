#pragma once

#include <QTimer>
#include <QVector>
#include <QWidget>

class QLabel;
class QSlider;

namespace llmf::views {

// A slider over a run's weight snapshots (checkpoints/step-N.safetensors, from step 0 to the latest
// model.safetensors), so the Inspector can show how attention patterns form during training. Moving it asks for
// the weights of that step; hidden when a run has no snapshots.
class CheckpointSlider final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CheckpointSlider)

public:
    explicit CheckpointSlider(QWidget *parent = nullptr);

    // Lists the snapshots of `runDir`; the slider starts on the latest weights (`latestStep`).
    void setRun(const QString &runDir, qint64 latestStep);
    int count() const { return static_cast<int>(m_frames.size()); }
    void setIndex(int index); // as a drag would, without the delay
    int index() const;
    qint64 currentStep() const;

Q_SIGNALS:
    // `path` empty = the run's model.safetensors.
    void weightsChosen(const QString &path, qint64 step);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Frame
    {
        qint64 step = 0;
        QString path;
    };
    void retranslate();
    void emitChoice();

    QVector<Frame> m_frames;
    QLabel *m_caption = nullptr;
    QSlider *m_slider = nullptr;
    QLabel *m_value = nullptr;
    QTimer m_settle; // loading weights takes a moment: wait until the slider rests
};

} // namespace llmf::views
