#include "clisupport.h"

#include "llmf/common/error.h"
#include "llmf/tokenizer/tokenizer.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <sstream>
#include <unistd.h>
#include <vector>

namespace llmf::cli {

ProgressBar::ProgressBar(std::string label, int64_t total)
    : m_label(std::move(label)), m_total(total), m_enabled(::isatty(STDERR_FILENO) != 0)
{}

void ProgressBar::update(int64_t done, const std::string &suffix)
{
    const auto now = std::chrono::steady_clock::now();
    if (now - m_lastDraw < std::chrono::milliseconds(100))
        return;
    m_lastDraw = now;
    draw(done, suffix);
}

void ProgressBar::finish(const std::string &suffix)
{
    draw(m_total, suffix);
    if (m_enabled)
        std::fputc('\n', stderr);
}

void ProgressBar::clearLine()
{
    if (m_enabled)
        std::fputs("\r\033[K", stderr);
}

void ProgressBar::draw(int64_t done, const std::string &suffix)
{
    if (!m_enabled)
        return;
    constexpr int width = 30;
    const double fraction = m_total > 0 ? std::min(1.0, static_cast<double>(done) / m_total) : 1.0;
    const int filled = static_cast<int>(fraction * width);
    std::string bar(filled, '#');
    bar.append(width - filled, '-');
    std::fprintf(stderr, "\r%s [%s] %3d%% %s\033[K", m_label.c_str(), bar.c_str(), static_cast<int>(fraction * 100),
                 suffix.c_str());
    std::fflush(stderr);
}

void printEncoding(const Tokenizer &tokenizer, const std::vector<int32_t> &ids, bool json)
{
    if (json) {
        nlohmann::json tokens = nlohmann::json::array();
        for (const int32_t id : ids)
            tokens.push_back(tokenizer.tokenBytes(id));
        std::cout << nlohmann::json{{"ids", ids}, {"tokens", tokens}, {"count", ids.size()}}.dump(
                         -1, ' ', false, nlohmann::json::error_handler_t::replace)
                  << "\n";
        return;
    }
    for (size_t i = 0; i < ids.size(); ++i)
        std::cout << (i ? " " : "") << ids[i];
    std::cout << "\n";
}

std::vector<int32_t> parseIdList(const std::string &text)
{
    std::vector<int32_t> ids;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        const auto first = item.find_first_not_of(" \t");
        if (first == std::string::npos)
            continue;
        const std::string trimmed = item.substr(first, item.find_last_not_of(" \t") - first + 1);
        size_t used = 0;
        long long value = 0;
        try {
            value = std::stoll(trimmed, &used);
        } catch (const std::exception &) {
            used = 0;
        }
        if (used != trimmed.size() || value < 0 || value > INT32_MAX)
            throw Error("'" + trimmed + "' is not a token id.",
                        "Give ids as comma-separated integers, e.g. 72,101,108");
        ids.push_back(static_cast<int32_t>(value));
    }
    return ids;
}

} // namespace llmf::cli
