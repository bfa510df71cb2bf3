#include "tokenizerlab/tokenizerlabpage.h"

#include "common/messagebanner.h"
#include "common/pagetitle.h"
#include "llmf/common/error.h"
#include "llmf/data/corpus.h"
#include "llmf/inspect/attentionprobe.h"
#include "llmf/tokenizer/bpetrainer.h"
#include "llmf/tokenizer/mergereplay.h"
#include "llmf/run/rundirectory.h"

#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QTableWidget>
#include <QTextBrowser>
#include <QToolTip>
#include <QUrl>
#include <QVBoxLayout>

namespace llmf::views {

namespace {

const int kSizes[] = {258, 1024, 2048, 8192};
const char *const kEnglish = "It is a truth universally acknowledged, that a single man in possession of a good "
                             "fortune, must be in want of a wife.";
const char *const kChinese = "凡是有钱的单身汉，总想娶位太太，这已经成了一条举世公认的真理。";
// A corpus is cut to this many bytes before training: enough for an 8192-token vocabulary, seconds on two cores.
constexpr size_t kTrainingBytes = 3'000'000;

QString label(const std::string &bytes)
{
    return QString::fromStdString(displayToken(bytes));
}

// Neighbouring tokens alternate among soft colours that read with dark text in light and dark themes alike.
QString background(int index)
{
    static const char *colours[] = {"#fde2b8", "#c9e7f6", "#d5f0d0", "#f5d0e6", "#e6dcf7", "#f7f1bd"};
    return QString::fromLatin1(colours[index % 6]);
}

} // namespace

TokenizerLabPage::TokenizerLabPage(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("tokenizerLabPage"));
    m_title = createPageTitle(this);
    m_explanation = new QLabel(this);
    m_explanation->setWordWrap(true);
    m_banner = new MessageBanner(this);
    m_sourceLabel = new QLabel(this);
    m_sourceLabel->setObjectName(QStringLiteral("tokenizerSource"));
    m_useRun = new QPushButton(this);
    m_useRun->setObjectName(QStringLiteral("useRunTokenizer"));
    m_useRun->setEnabled(false);
    connect(m_useRun, &QPushButton::clicked, this, [this] { useRunTokenizer(); });
    m_corpus = new QComboBox(this);
    m_corpus->setObjectName(QStringLiteral("labCorpus"));
    for (const CorpusInfo &corpus : listCorpora())
        if (corpus.installed)
            m_corpus->addItem(QString::fromStdString(corpus.title), QString::fromStdString(corpus.id));
    m_vocab = new QSpinBox(this);
    m_vocab->setObjectName(QStringLiteral("labVocabSize"));
    m_vocab->setRange(300, 8192);
    m_vocab->setValue(2048);
    m_train = new QPushButton(this);
    m_train->setObjectName(QStringLiteral("labTrain"));
    connect(m_train, &QPushButton::clicked, this, &TokenizerLabPage::trainOnCorpus);

    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(QStringLiteral("labText"));
    m_text->setMaximumHeight(80);
    m_text->setPlainText(QString::fromUtf8(kEnglish));
    connect(m_text, &QPlainTextEdit::textChanged, this, [this] { redrawTokens(); });

    m_play = new QPushButton(this);
    m_play->setObjectName(QStringLiteral("replayPlay"));
    connect(m_play, &QPushButton::clicked, this, [this] { setPlaying(!isPlaying()); });
    m_step = new QPushButton(this);
    m_step->setObjectName(QStringLiteral("replayStep"));
    connect(m_step, &QPushButton::clicked, this, &TokenizerLabPage::step);
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setObjectName(QStringLiteral("replaySlider"));
    connect(m_slider, &QSlider::valueChanged, this, [this] { redrawTokens(); });
    m_mergeLabel = new QLabel(this);
    m_mergeLabel->setObjectName(QStringLiteral("replayMerge"));
    m_timer.setInterval(60);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (merge() >= mergeCount())
            setPlaying(false);
        else
            step();
    });

    m_tokens = new QTextBrowser(this);
    m_tokens->setObjectName(QStringLiteral("labTokens"));
    m_tokens->setOpenLinks(false);
    connect(m_tokens, &QTextBrowser::highlighted, this, [this](const QUrl &url) {
        if (url.scheme() == QLatin1String("token"))
            QToolTip::showText(QCursor::pos(), tokenToolTip(url.path().toInt()), m_tokens);
    });
    m_stats = new QLabel(this);
    m_stats->setObjectName(QStringLiteral("labStats"));
    m_sizesLabel = new QLabel(this);
    m_sizes = new QTableWidget(int(std::size(kSizes)), 4, this);
    m_sizes->setObjectName(QStringLiteral("labSizes"));
    m_sizes->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_sizes->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_sizes->verticalHeader()->setVisible(false);

    auto *source = new QHBoxLayout;
    source->addWidget(m_sourceLabel, 1);
    source->addWidget(m_useRun);
    source->addWidget(m_corpus);
    source->addWidget(m_vocab);
    source->addWidget(m_train);
    auto *replay = new QHBoxLayout;
    replay->addWidget(m_play);
    replay->addWidget(m_step);
    replay->addWidget(m_slider, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_explanation);
    layout->addWidget(m_banner);
    layout->addLayout(source);
    layout->addWidget(m_text);
    layout->addLayout(replay);
    layout->addWidget(m_mergeLabel);
    layout->addWidget(m_tokens, 1);
    layout->addWidget(m_stats);
    layout->addWidget(m_sizesLabel);
    layout->addWidget(m_sizes);
    setTokenizer(Tokenizer(), QString()); // bytes only until a run is opened or a tokenizer trained
}

TokenizerLabPage::~TokenizerLabPage() = default;

void TokenizerLabPage::setRunDirectory(const QString &runDir)
{
    m_runDir = runDir;
    m_useRun->setEnabled(!runDir.isEmpty());
    if (m_tokenizer && m_tokenizer->merges().empty() && !runDir.isEmpty())
        useRunTokenizer();
}

bool TokenizerLabPage::useRunTokenizer()
{
    try {
        setTokenizer(RunDirectory(m_runDir.toStdString()).loadTokenizer(), QDir::toNativeSeparators(m_runDir));
        m_banner->hide();
        return true;
    } catch (const std::exception &error) {
        const QString message = QString::fromStdString(describeException(error));
        m_banner->showMessage(MessageBanner::Kind::Error, message);
        Q_EMIT failed(message);
        return false;
    }
}

void TokenizerLabPage::setTokenizer(const Tokenizer &tokenizer, const QString &source)
{
    setPlaying(false);
    m_tokenizer = std::make_unique<Tokenizer>(tokenizer);
    m_source = source;
    const QSignalBlocker block(m_slider);
    m_slider->setRange(0, mergeCount());
    m_slider->setValue(mergeCount());
    redrawTokens();
    fillSizes();
    Q_EMIT tokenizerChanged();
}

void TokenizerLabPage::trainOnCorpus()
{
    if (m_training || m_corpus->count() == 0)
        return;
    m_training = true;
    const std::string corpus = m_corpus->currentData().toString().toStdString();
    const int vocab = m_vocab->value();
    m_task.start([this, corpus, vocab](const CancelToken &token) {
        std::shared_ptr<Tokenizer> trained;
        QString error;
        try {
            std::string text = loadCorpus(corpus);
            if (text.size() > kTrainingBytes) {
                size_t cut = kTrainingBytes;
                while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
                    --cut; // not inside a UTF-8 character
                text.resize(cut);
            }
            BpeTrainer trainer;
            trainer.addText(text);
            trained = std::make_shared<Tokenizer>(trainer.train(vocab, {}, token.flag()).tokenizer);
        } catch (const std::exception &e) {
            error = QString::fromStdString(describeException(e));
        }
        token.deliver(this, [this, trained, name = QString::fromStdString(corpus), error] {
            finishTraining(trained, name, error);
        });
    });
    retranslate();
}

void TokenizerLabPage::finishTraining(std::shared_ptr<Tokenizer> tokenizer, const QString &corpus, const QString &error)
{
    m_training = false;
    if (tokenizer && error.isEmpty()) {
        setTokenizer(*tokenizer, tr("trained here on %1").arg(corpus));
        m_banner->hide();
    }
    retranslate();
    if (!error.isEmpty()) {
        m_banner->showMessage(MessageBanner::Kind::Error, error);
        Q_EMIT failed(error);
    }
    Q_EMIT trainingFinished(error.isEmpty() && tokenizer);
}

void TokenizerLabPage::setText(const QString &text)
{
    m_text->setPlainText(text);
}

int TokenizerLabPage::merge() const
{
    return m_slider->value();
}

int TokenizerLabPage::mergeCount() const
{
    return m_tokenizer ? static_cast<int>(m_tokenizer->merges().size()) : 0;
}

void TokenizerLabPage::setMerge(int merges)
{
    m_slider->setValue(merges);
}

void TokenizerLabPage::step()
{
    if (m_slider->value() >= mergeCount())
        m_slider->setValue(0); // stepping past the end starts the replay over
    else
        m_slider->setValue(m_slider->value() + 1);
}

void TokenizerLabPage::setPlaying(bool playing)
{
    if (playing) {
        if (merge() >= mergeCount())
            setMerge(0);
        m_timer.start();
    } else {
        m_timer.stop();
    }
    retranslate();
}

QVector<qint32> TokenizerLabPage::tokenIds() const
{
    return m_ids;
}

QString TokenizerLabPage::mergeDescription() const
{
    const int k = merge();
    if (!m_tokenizer || k == 0)
        return tr("Merge 0 of %1: every byte is a token.").arg(mergeCount());
    const Merge &m = m_tokenizer->merges()[static_cast<size_t>(k - 1)];
    QString text = tr("Merge %1 of %2: “%3” + “%4” → “%5”")
                       .arg(k)
                       .arg(mergeCount())
                       .arg(label(m_tokenizer->tokenBytes(m.left)), label(m_tokenizer->tokenBytes(m.right)),
                            label(m_tokenizer->tokenBytes(m.token)));
    if (m.count > 0)
        text += tr(" (the pair was seen %1 times)").arg(QLocale().toString(static_cast<qlonglong>(m.count)));
    return text;
}

QString TokenizerLabPage::tokenToolTip(int index) const
{
    return index >= 0 && index < m_tokenTips.size() ? m_tokenTips[index] : QString();
}

QString TokenizerLabPage::statsText() const
{
    return m_stats->text();
}

void TokenizerLabPage::redrawTokens()
{
    m_ids.clear();
    m_tokenTips.clear();
    if (!m_tokenizer)
        return;
    const std::string text = m_text->toPlainText().toStdString();
    std::vector<ReplayToken> tokens;
    try {
        tokens = segmentAt(*m_tokenizer, text, merge());
    } catch (const std::exception &) {
        return; // a half-typed character; the next keystroke completes it
    }
    QString html = QStringLiteral("<div style='line-height: 170%; color: #111;'>");
    for (size_t i = 0; i < tokens.size(); ++i) {
        const ReplayToken &t = tokens[i];
        m_ids.append(t.id);
        QString bytes;
        for (const unsigned char c : t.bytes)
            bytes += QStringLiteral("%1 ").arg(c, 2, 16, QLatin1Char('0')).toUpper();
        m_tokenTips << (t.mergeRank >= 0
                            ? tr("“%1” · id %2 · bytes %3· merge %4")
                                  .arg(label(t.bytes))
                                  .arg(t.id)
                                  .arg(bytes)
                                  .arg(t.mergeRank + 1)
                            : tr("“%1” · id %2 · byte %3· a single byte").arg(label(t.bytes)).arg(t.id).arg(bytes));
        html += QStringLiteral("<a href='token:%1' style='text-decoration: none; color: #111;'><span "
                               "style='background-color: %2;'>%3</span></a><sub style='color: #666;'>%4</sub> ")
                    .arg(i)
                    .arg(background(static_cast<int>(i)))
                    .arg(label(t.bytes).toHtmlEscaped())
                    .arg(t.id);
    }
    m_tokens->setHtml(html + QStringLiteral("</div>"));
    retranslate();
}

void TokenizerLabPage::fillSizes()
{
    if (!m_tokenizer)
        return;
    for (int row = 0; row < int(std::size(kSizes)); ++row) {
        const int merges = mergesForVocabulary(*m_tokenizer, kSizes[row]);
        const SegmentationStats english = segmentationStats(*m_tokenizer, kEnglish, merges);
        const SegmentationStats chinese = segmentationStats(*m_tokenizer, kChinese, merges);
        QStringList pieces;
        for (const ReplayToken &t : segmentAt(*m_tokenizer, kEnglish, merges))
            pieces << label(t.bytes);
        const QString vocab = english.vocabularySize < kSizes[row]
                                  ? tr("%1 (this tokenizer has %2)").arg(kSizes[row]).arg(english.vocabularySize)
                                  : QString::number(kSizes[row]);
        m_sizes->setItem(row, 0, new QTableWidgetItem(pieces.join(QStringLiteral("|"))));
        m_sizes->setItem(row, 1, new QTableWidgetItem(vocab));
        m_sizes->setItem(row, 2,
                         new QTableWidgetItem(QStringLiteral("%1 · %2")
                                                  .arg(english.tokens)
                                                  .arg(QLocale().toString(english.bytesPerToken(), 'f', 2))));
        m_sizes->setItem(row, 3,
                         new QTableWidgetItem(QStringLiteral("%1 · %2")
                                                  .arg(chinese.tokens)
                                                  .arg(QLocale().toString(chinese.charactersPerToken(), 'f', 2))));
    }
    m_sizes->resizeColumnsToContents();
    m_sizes->resizeRowsToContents();
    m_sizes->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_sizes->setFixedHeight(m_sizes->horizontalHeader()->sizeHint().height() + m_sizes->verticalHeader()->length() +
                            2 * m_sizes->frameWidth() + 2);
}

void TokenizerLabPage::retranslate()
{
    m_title->setText(tr("Tokenizer Lab"));
    m_explanation->setText(
        tr("A tokenizer cuts text into the pieces the model reads. Byte-level BPE starts from the 256 bytes and "
           "learns merges: again and again it joins the most frequent neighbouring pair into a new token. Type "
           "below, replay the merges one by one and watch the text fall into fewer, longer tokens; hover a token "
           "for its bytes, id and the merge that made it."));
    m_sourceLabel->setText(m_source.isEmpty()
                               ? tr("Tokenizer: bytes only (open a run or train one)")
                               : tr("Tokenizer: %1 · %2 tokens").arg(m_source).arg(m_tokenizer->vocabSize()));
    m_useRun->setText(tr("Use the open run's tokenizer"));
    m_train->setText(m_training ? tr("Training…") : tr("Train"));
    m_train->setEnabled(!m_training && m_corpus->count() > 0);
    m_vocab->setToolTip(tr("Vocabulary size to train"));
    m_corpus->setToolTip(tr("Corpus to train on (its first 3 MB)"));
    m_play->setText(isPlaying() ? tr("Pause") : tr("Play"));
    m_step->setText(tr("Step"));
    m_mergeLabel->setText(mergeDescription());
    const std::string text = m_text->toPlainText().toStdString();
    const double bytes = static_cast<double>(text.size());
    m_stats->setText(m_ids.isEmpty() ? QString()
                                     : tr("%1 tokens · %2 bytes per token")
                                           .arg(m_ids.size())
                                           .arg(QLocale().toString(bytes / m_ids.size(), 'f', 2)));
    m_sizesLabel->setText(tr("The same sentences at four vocabulary sizes (the first merges of this tokenizer):"));
    m_sizes->setHorizontalHeaderLabels({tr("English, as tokens"), tr("Vocabulary"), tr("English: tokens · bytes/token"),
                                        tr("Chinese: tokens · characters/token")});
}

void TokenizerLabPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace llmf::views
