#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QTimer>
#include <QWidget>

#include <memory>

class QCPGraph;
class QCustomPlot;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace llmf {
class OpenAIServer;
struct ServedRequest;
} // namespace llmf

namespace llmf::views {

// The Playground's Serve tab: runs `llmf serve`'s OpenAI-compatible server (core's OpenAIServer, continuous
// batching) for the open run inside the app, with its URL, a curl example to copy, a live table of requests and a
// chart of the running batch size over time.
class ServePanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServePanel)

public:
    explicit ServePanel(QWidget *parent = nullptr);
    ~ServePanel() override;

    void setRun(const QString &runDir); // the run to serve next; stops a server of another run
    bool startServer();                 // false (and failed()) when the run cannot be loaded or the port bound
    void stopServer();
    bool isServing() const;
    int port() const; // the bound port while serving
    QString url() const;
    int requestRows() const;
    int finishedRequests() const { return m_finished; }
    int batchPoints() const;

Q_SIGNALS:
    void servingChanged(bool serving);
    void requestsServed(int finished); // after each finished request
    void failed(const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void updateState();
    void onRequest(const llmf::ServedRequest &request);
    void sampleBatchSize();

    QString m_runDir;
    std::unique_ptr<llmf::OpenAIServer> m_server;
    QHash<qint64, int> m_rows; // request id → table row
    int m_finished = 0;
    QElapsedTimer m_clock;
    QTimer m_sampler;

    QLabel *m_explanation = nullptr;
    QLabel *m_portLabel = nullptr;
    QSpinBox *m_port = nullptr;
    QLabel *m_batchLabel = nullptr;
    QSpinBox *m_maxBatch = nullptr;
    QPushButton *m_startStop = nullptr;
    QLabel *m_url = nullptr;
    QPlainTextEdit *m_curl = nullptr;
    QPushButton *m_copy = nullptr;
    QTableWidget *m_table = nullptr;
    QCustomPlot *m_plot = nullptr;
    QCPGraph *m_batchGraph = nullptr;
};

} // namespace llmf::views
