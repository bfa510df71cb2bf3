#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace llmf {
class Tokenizer;
}

namespace llmf::cli {

// A one-line progress bar on stderr, redrawn at most 10 times a second; silent when stderr is not a
// terminal (logs and tests stay clean).
class ProgressBar
{
public:
    explicit ProgressBar(std::string label, int64_t total);
    void setTotal(int64_t total) { m_total = total; }
    void update(int64_t done, const std::string &suffix = {});
    void finish(const std::string &suffix = {});
    // Erases the bar so a log line can be printed; the next update redraws it.
    void clearLine();

private:
    void draw(int64_t done, const std::string &suffix);

    std::string m_label;
    int64_t m_total;
    bool m_enabled;
    std::chrono::steady_clock::time_point m_lastDraw;
};

// Prints token ids: space-separated, or JSON {"ids", "tokens", "count"} (token bytes that are only part of a
// UTF-8 character appear as U+FFFD).
void printEncoding(const Tokenizer &tokenizer, const std::vector<int32_t> &ids, bool json);

// Comma-separated integers ("1, 2,3") → ids; throws llmf::Error naming the bad item.
std::vector<int32_t> parseIdList(const std::string &text);

} // namespace llmf::cli
