#pragma once

#include <QImage>
#include <QVector>
#include <QWidget>

namespace llmf {
struct AttentionMaps;
}

namespace llmf::views {

// Every attention map of the model at a glance: one small thumbnail per (layer, head), layers down, heads across.
// Query heads that share a key/value head (GQA) carry the same colour in their header and frame. Clicking a
// thumbnail selects it. Painted directly (one image per map) rather than with a chart per head, so a model with
// 64 heads stays cheap to draw.
class AttentionGrid final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AttentionGrid)

public:
    explicit AttentionGrid(QWidget *parent = nullptr);

    void setMaps(const llmf::AttentionMaps &maps);
    void clear();
    void setSelected(int layer, int head);
    int selectedLayer() const { return m_selectedLayer; }
    int selectedHead() const { return m_selectedHead; }
    int thumbnailCount() const { return static_cast<int>(m_thumbnails.size()); }
    int layers() const { return m_layers; }
    int heads() const { return m_heads; }
    // Where thumbnail (layer, head) is drawn, in widget coordinates (empty when there is none).
    QRect thumbnailRect(int layer, int head) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void thumbnailClicked(int layer, int head);

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

private:
    int cellSize() const;
    int rowLabelWidth() const;
    int headerHeight() const;
    bool cellAt(const QPoint &pos, int *layer, int *head) const;

    int m_layers = 0;
    int m_heads = 0;
    int m_kvHeads = 0;
    int m_selectedLayer = -1;
    int m_selectedHead = -1;
    QVector<QImage> m_thumbnails; // layer-major: index layer * heads + head
};

} // namespace llmf::views
