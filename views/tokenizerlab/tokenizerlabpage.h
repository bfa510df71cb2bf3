#pragma once

#include "common/backgroundtask.h"

#include <QTimer>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSlider;
class QSpinBox;
class QTableWidget;
class QTextBrowser;

namespace llmf {
class Tokenizer;
}

namespace llmf::views {

class MessageBanner;

// The Tokenizer Lab: a text as coloured tokens (hover: bytes, id, merge rank) with its token count and bytes per
// token, for the open run's tokenizer or one trained here on a built-in corpus; the BPE merges replayed one by one
// (play, pause, step, or drag to any merge) with the text re-segmenting as each pair becomes a token; and the same
// sentence, English and Chinese, at 258 / 1024 / 2048 / 8192 tokens side by side.
class TokenizerLabPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenizerLabPage)

public:
    explicit TokenizerLabPage(QWidget *parent = nullptr);
    ~TokenizerLabPage() override; // m_task abandons and joins a training

    void setRunDirectory(const QString &runDir); // offers (and, when nothing is loaded, uses) that run's tokenizer
    bool useRunTokenizer();
    void setTokenizer(const llmf::Tokenizer &tokenizer, const QString &source);
    void trainOnCorpus(); // the corpus and size chosen on the page, on a worker thread
    bool isTraining() const { return m_training; }
    const llmf::Tokenizer *tokenizer() const { return m_tokenizer.get(); }

    void setText(const QString &text);
    void setMerge(int merges); // the replay position: 0 = bytes … mergeCount() = the whole tokenizer
    int merge() const;
    int mergeCount() const;
    void step();
    void setPlaying(bool playing);
    bool isPlaying() const { return m_timer.isActive(); }

    QVector<qint32> tokenIds() const; // the text's tokens at the replay position
    QString mergeDescription() const; // "merge 12 of 766: "t" + "h" → "th" (seen 1,204 times)"
    QString tokenToolTip(int index) const;
    QString statsText() const;
    QTableWidget *sizesTable() const { return m_sizes; }

Q_SIGNALS:
    void tokenizerChanged();
    void trainingFinished(bool ok);
    void failed(const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void redrawTokens();
    void fillSizes();
    void finishTraining(std::shared_ptr<llmf::Tokenizer> tokenizer, const QString &corpus, const QString &error);

    std::unique_ptr<llmf::Tokenizer> m_tokenizer;
    QString m_source;
    QString m_runDir;
    bool m_training = false;
    BackgroundTask m_task;
    QTimer m_timer;
    QVector<qint32> m_ids;
    QStringList m_tokenTips;

    QLabel *m_title = nullptr;
    QLabel *m_explanation = nullptr;
    MessageBanner *m_banner = nullptr; // why the run's tokenizer or a training failed
    QLabel *m_sourceLabel = nullptr;
    QPushButton *m_useRun = nullptr;
    QComboBox *m_corpus = nullptr;
    QSpinBox *m_vocab = nullptr;
    QPushButton *m_train = nullptr;
    QPlainTextEdit *m_text = nullptr;
    QPushButton *m_play = nullptr;
    QPushButton *m_step = nullptr;
    QSlider *m_slider = nullptr;
    QLabel *m_mergeLabel = nullptr;
    QTextBrowser *m_tokens = nullptr;
    QLabel *m_stats = nullptr;
    QLabel *m_sizesLabel = nullptr;
    QTableWidget *m_sizes = nullptr;
};

} // namespace llmf::views
