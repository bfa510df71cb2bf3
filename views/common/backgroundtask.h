#pragma once

#include <QObject>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <utility>

namespace llmf::views {

namespace detail {

// One run of a BackgroundTask, shared by the task, the work and every answer still queued for the GUI thread, so
// each of them can outlive the others.
struct BackgroundRun
{
    std::atomic_bool stop{false};      // the work should return early
    std::atomic_bool abandoned{false}; // nobody wants its answers any more: queued ones are dropped
};

} // namespace detail

// What the work of a BackgroundTask is handed: whether it should stop, and how to send results to the GUI thread.
class CancelToken final
{
public:
    // True once the owner asked the work to stop (BackgroundTask::requestStop(), cancelAndWait(), a newer start()).
    // The work polls it between units of work (a checkpoint, a merge, a precision): joining waits for that poll.
    bool cancelled() const { return m_run->stop.load(); }
    // The same flag for core functions that take `const std::atomic_bool *cancel`.
    const std::atomic_bool *flag() const { return &m_run->stop; }

    // Calls `f` later on `receiver`'s thread, unless by then this run was abandoned (cancelAndWait(), a newer
    // start()) or `receiver` was deleted (Qt drops queued calls to a deleted object). A run that was only asked to
    // stop still delivers: a Stop button shows what was finished before it was pressed.
    template <typename F> void deliver(QObject *receiver, F &&f) const
    {
        QMetaObject::invokeMethod(
            receiver,
            [run = m_run, f = std::forward<F>(f)] {
                if (!run->abandoned.load())
                    f();
            },
            Qt::QueuedConnection);
    }

private:
    friend class BackgroundTask;
    explicit CancelToken(std::shared_ptr<detail::BackgroundRun> run) : m_run(std::move(run)) {}

    std::shared_ptr<detail::BackgroundRun> m_run;
};

// Long work a view starts and may stop — measuring every checkpoint, comparing three precisions, training a
// tokenizer — on a thread of its own, one run at a time. The work gets a CancelToken, polls it and sends its
// results with CancelToken::deliver(). Nothing here waits for more than the work takes to notice the token; work
// that never polls it makes cancelAndWait() (and so the owner's destructor) wait for it to finish.
//
// Keep it a member of the object the work delivers to: the destructor then abandons and joins the run before that
// object is gone, so no answer arrives at a half-destroyed view.
class BackgroundTask final
{
public:
    using Work = std::function<void(const CancelToken &token)>;

    BackgroundTask() = default;
    ~BackgroundTask(); // cancelAndWait()
    BackgroundTask(const BackgroundTask &) = delete;
    BackgroundTask &operator=(const BackgroundTask &) = delete;

    // Abandons and joins the previous run (cancelAndWait()), then runs `work` on a new thread.
    void start(Work work);
    // Asks the running work to return early; what it delivers from now on still arrives. Does not wait.
    void requestStop();
    // Asks the running work to return, drops every answer it sent that has not arrived yet and any it still sends,
    // and waits for its thread to end.
    void cancelAndWait();

private:
    std::shared_ptr<detail::BackgroundRun> m_run;
    std::thread m_thread;
};

} // namespace llmf::views
