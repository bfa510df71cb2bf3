#include "playground/servepanel.h"

#include "common/plotstyle.h"
#include "common/qcustomplot.h"
#include "llmf/common/error.h"
#include "llmf/serve/openaiserver.h"
#include "llmf/serve/servemetrics.h"
#include "llmf/run/rundirectory.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace llmf::views {

namespace {

enum Column { PromptColumn, TokensColumn, SpeedColumn, StateColumn, ColumnCount };

} // namespace

ServePanel::ServePanel(QWidget *parent) : QWidget(parent)
{
    m_explanation = new QLabel(this);
    m_explanation->setWordWrap(true);
    m_portLabel = new QLabel(this);
    m_port = new QSpinBox(this);
    m_port->setObjectName(QStringLiteral("servePort"));
    m_port->setRange(0, 65535);
    m_port->setValue(8000);
    m_batchLabel = new QLabel(this);
    m_maxBatch = new QSpinBox(this);
    m_maxBatch->setObjectName(QStringLiteral("serveMaxBatch"));
    m_maxBatch->setRange(1, 64);
    m_maxBatch->setValue(8);
    m_startStop = new QPushButton(this);
    m_startStop->setObjectName(QStringLiteral("serveButton"));
    connect(m_startStop, &QPushButton::clicked, this, [this] { isServing() ? stopServer() : (void)startServer(); });
    m_url = new QLabel(this);
    m_url->setObjectName(QStringLiteral("serveUrl"));
    m_url->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_curl = new QPlainTextEdit(this);
    m_curl->setObjectName(QStringLiteral("serveCurl"));
    m_curl->setReadOnly(true);
    m_curl->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_curl->setMaximumHeight(70);
    m_copy = new QPushButton(this);
    m_copy->setObjectName(QStringLiteral("serveCopy"));
    connect(m_copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_curl->toPlainText()); });

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("serveRequests"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(PromptColumn, QHeaderView::Stretch);
    m_table->verticalHeader()->setVisible(false);
    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(QStringLiteral("serveBatchChart"));
    m_plot->setMinimumSize(200, 120);
    stylePlot(m_plot);
    m_batchGraph = m_plot->addGraph();
    m_batchGraph->setLineStyle(QCPGraph::lsStepLeft);
    m_batchGraph->setPen(QPen(QColor(0, 114, 178), 1.5));

    auto *settings = new QHBoxLayout;
    settings->addWidget(m_portLabel);
    settings->addWidget(m_port);
    settings->addWidget(m_batchLabel);
    settings->addWidget(m_maxBatch);
    settings->addWidget(m_startStop);
    settings->addWidget(m_url, 1);
    auto *curlRow = new QHBoxLayout;
    curlRow->addWidget(m_curl, 1);
    curlRow->addWidget(m_copy, 0, Qt::AlignTop);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_table, 3);
    bottom->addWidget(m_plot, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_explanation);
    layout->addLayout(settings);
    layout->addLayout(curlRow);
    layout->addLayout(bottom, 1);

    m_sampler.setInterval(200);
    connect(&m_sampler, &QTimer::timeout, this, &ServePanel::sampleBatchSize);
    retranslate();
}

ServePanel::~ServePanel()
{
    stopServer();
}

void ServePanel::setRun(const QString &runDir)
{
    if (runDir == m_runDir)
        return;
    stopServer();
    m_runDir = runDir;
    updateState();
}

bool ServePanel::startServer()
{
    if (isServing() || m_runDir.isEmpty())
        return isServing();
    try {
        const LoadedRun run = loadRun(m_runDir.toStdString(), "cpu");
        ServeOptions options;
        options.port = m_port->value();
        options.maxBatch = m_maxBatch->value();
        options.modelName = QFileInfo(m_runDir).fileName().toStdString();
        auto server = std::make_unique<OpenAIServer>(run, options);
        // HTTP threads report; the table lives on the GUI thread.
        server->setRequestObserver([this](const ServedRequest &request) {
            QMetaObject::invokeMethod(
                this, [this, request] { onRequest(request); }, Qt::QueuedConnection);
        });
        server->start();
        m_server = std::move(server);
    } catch (const Error &e) {
        Q_EMIT failed(QString::fromStdString(e.fullMessage()));
        return false;
    } catch (const std::exception &e) {
        Q_EMIT failed(QString::fromStdString(describeException(e)));
        return false;
    }
    m_table->setRowCount(0);
    m_rows.clear();
    m_batchGraph->data()->clear();
    m_clock.start();
    m_sampler.start();
    updateState();
    Q_EMIT servingChanged(true);
    return true;
}

void ServePanel::stopServer()
{
    if (!m_server)
        return;
    m_sampler.stop();
    m_server->stop(std::chrono::milliseconds(2000));
    m_server.reset();
    updateState();
    Q_EMIT servingChanged(false);
}

bool ServePanel::isServing() const
{
    return m_server != nullptr;
}

int ServePanel::port() const
{
    return m_server ? m_server->port() : 0;
}

QString ServePanel::url() const
{
    return m_server ? QStringLiteral("http://127.0.0.1:%1/v1").arg(m_server->port()) : QString();
}

int ServePanel::requestRows() const
{
    return m_table->rowCount();
}

int ServePanel::batchPoints() const
{
    return m_batchGraph->dataCount();
}

void ServePanel::onRequest(const ServedRequest &request)
{
    int row = m_rows.value(request.id, -1);
    if (row < 0) {
        row = m_table->rowCount();
        m_table->insertRow(row);
        m_rows.insert(request.id, row);
        for (int c = 0; c < ColumnCount; ++c)
            m_table->setItem(row, c, new QTableWidgetItem);
    }
    m_table->item(row, PromptColumn)->setText(QString::fromStdString(request.promptHead).simplified());
    m_table->item(row, TokensColumn)->setText(QString::number(request.tokens));
    m_table->item(row, SpeedColumn)->setText(QString::number(request.tokensPerSecond, 'f', 0));
    const QString state = QString::fromStdString(request.state);
    const QString shown = state == QLatin1String("running")     ? tr("running")
                          : state == QLatin1String("stop")      ? tr("done (stop)")
                          : state == QLatin1String("length")    ? tr("done (length)")
                          : state == QLatin1String("cancelled") ? tr("cancelled")
                                                                : tr("error");
    m_table->item(row, StateColumn)->setText(shown);
    if (state != QLatin1String("running")) {
        ++m_finished;
        Q_EMIT requestsServed(m_finished);
    }
}

void ServePanel::sampleBatchSize()
{
    if (!m_server)
        return;
    m_batchGraph->addData(m_clock.elapsed() / 1000.0, m_server->metrics().takePeakRunning());
    m_plot->rescaleAxes();
    m_plot->yAxis->setRange(0, std::max(1, m_maxBatch->value()) + 0.5);
    if (isVisible())
        m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ServePanel::updateState()
{
    m_startStop->setEnabled(!m_runDir.isEmpty());
    m_startStop->setText(isServing() ? tr("Stop server") : tr("Start server"));
    m_port->setEnabled(!isServing());
    m_maxBatch->setEnabled(!isServing());
    m_url->setText(isServing() ? tr("Serving at <b>%1</b>").arg(url())
                               : (m_runDir.isEmpty() ? tr("Open a run to serve it.") : tr("Not serving.")));
    const QString model = QFileInfo(m_runDir).fileName();
    m_curl->setPlainText(isServing() ? QStringLiteral("curl %1/completions -H 'Content-Type: application/json' -d "
                                                      "'{\"model\": \"%2\", \"prompt\": \"Once upon a time\", "
                                                      "\"max_tokens\": 40, \"stream\": true}'")
                                           .arg(url(), model)
                                     : QString());
    m_copy->setEnabled(isServing());
}

void ServePanel::retranslate()
{
    m_explanation->setText(tr("Serve the open run to real clients over OpenAI's API (what <code>llmf serve</code> "
                              "does): every request that arrives joins the running batch, and all of them advance "
                              "one token per step together (continuous batching). Send a few requests at once and "
                              "watch the batch size."));
    m_portLabel->setText(tr("Port:"));
    m_port->setToolTip(tr("0 picks a free port"));
    m_batchLabel->setText(tr("Max batch:"));
    m_copy->setText(tr("Copy"));
    m_table->setHorizontalHeaderLabels({tr("Prompt"), tr("Tokens"), tr("Tokens/s"), tr("State")});
    m_plot->xAxis->setLabel(tr("seconds"));
    m_plot->yAxis->setLabel(tr("running batch size"));
    updateState();
}

void ServePanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace llmf::views
