#pragma once

#include <QTimer>
#include <QWidget>

#include <memory>

class QLabel;
class QPlainTextEdit;
class QSpinBox;

namespace llmf {
struct AttentionMaps;
}

namespace llmf::views {

class AttentionGrid;
class AttentionHeatmap;

// The Attention tab: a text box, layer and head selectors, the selected head's map enlarged, and the grid of every
// layer × head. Shows data it is given; the page runs the model (setMaps) when the text settles.
class AttentionView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AttentionView)

public:
    explicit AttentionView(QWidget *parent = nullptr);
    ~AttentionView() override;

    void setMaps(const llmf::AttentionMaps &maps); // keeps the selected layer and head where they still exist
    void clear();
    bool hasMaps() const { return m_maps != nullptr; }
    const llmf::AttentionMaps *maps() const { return m_maps.get(); }

    void showAttention(int layer, int head);
    int layer() const;
    int head() const;

    QString text() const;
    void setText(const QString &text); // does not emit textSettled

    // The weight the enlarged map displays for (query, key); NaN when there is none.
    double attentionValue(int query, int key) const;
    int gridThumbnailCount() const;
    AttentionHeatmap *heatmap() const { return m_heatmap; }
    AttentionGrid *grid() const { return m_grid; }
    QWidget *chartArea() const { return m_charts; }

    // Every weight of every layer and head, one row each. False when there is nothing to export or on I/O failure.
    bool exportCsv(const QString &path) const;

Q_SIGNALS:
    void textSettled(const QString &text); // the user stopped typing for a moment
    void selectionChanged(int layer, int head);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void updateMap();
    void updateGroupLabel();

    std::unique_ptr<llmf::AttentionMaps> m_maps;
    QLabel *m_textLabel = nullptr;
    QPlainTextEdit *m_text = nullptr;
    QLabel *m_layerLabel = nullptr;
    QSpinBox *m_layerSpin = nullptr;
    QLabel *m_headLabel = nullptr;
    QSpinBox *m_headSpin = nullptr;
    QLabel *m_groupLabel = nullptr;
    QLabel *m_noteLabel = nullptr;
    QLabel *m_hoverLabel = nullptr;
    QLabel *m_gridCaption = nullptr;
    QWidget *m_charts = nullptr;
    AttentionHeatmap *m_heatmap = nullptr;
    AttentionGrid *m_grid = nullptr;
    QTimer m_settle;
};

} // namespace llmf::views
