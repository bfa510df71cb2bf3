#pragma once

#include <QColor>
#include <QTextBrowser>
#include <QVector>

namespace llmf::views {

// The generated text, one coloured span per token: the background says how probable the sampled token was (see
// ProbabilityLegend), alternating slightly in strength so neighbouring tokens stay distinguishable. Clicking a
// token selects its position (Left/Right then step through them); hovering shows its id and probability. Streams:
// tokens are appended as they come.
class TokenView final : public QTextBrowser
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenView)

public:
    struct Token
    {
        qint32 id = 0;
        QString piece; // the text it adds (may be "" for the first bytes of a split character)
        QString label; // display form of the token's own bytes ("␣the")
        float probability = 0.f;
    };

    explicit TokenView(QWidget *parent = nullptr);

    void clearTokens();
    void setPrompt(const QString &prompt);
    void appendTokens(const QVector<Token> &tokens);

    int tokenCount() const { return static_cast<int>(m_tokens.size()); }
    const Token &token(int index) const { return m_tokens[index]; }
    QString generatedText() const { return m_generated; }
    QString toolTipFor(int index) const;
    int selectedToken() const { return m_selected; }
    void setSelectedToken(int index); // -1 clears

    // Probability bins: < 10 %, 10-30 %, 30-60 %, 60-90 %, >= 90 %.
    static int binCount() { return 5; }
    static int binOf(double probability);
    static QString binLabel(int bin);
    // The background of a token in `bin` on `base`; `strong` alternates between neighbours.
    static QColor binColour(int bin, const QColor &base, bool strong = true);

Q_SIGNALS:
    void tokenClicked(int index);

protected:
    bool viewportEvent(QEvent *event) override;
    void changeEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    struct Span
    {
        int start = 0;
        int end = 0;
    };
    void rebuild();
    void insertToken(int index);
    void updateSelection();
    QTextCharFormat formatFor(int index) const;

    QString m_prompt;
    QString m_generated;
    QVector<Token> m_tokens;
    QVector<Span> m_spans; // document positions of each token
    int m_selected = -1;
};

} // namespace llmf::views
