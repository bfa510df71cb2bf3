#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace llmf {

// The text a model trains on: the built-in corpora (read in place from Debian packages, never copied into the
// repository) or the user's own files. Everything returned is UTF-8.

struct CorpusInfo
{
    std::string id;       // "janeausten", "fortunes-zh", "fallback"
    std::string title;    // English, for lists and logs
    std::string language; // "en" or "zh"
    std::string source;   // the file or folder it is read from, or "generated"
    bool installed = false;
    uint64_t bytes = 0;  // size of the UTF-8 text; 0 when not installed
    std::string package; // the Debian package that provides it; empty for the generated one
};

// All built-in corpora, installed or not; "fallback" is always installed. The first call decodes the installed
// ones once to learn their sizes (~50 ms); later calls reuse that until the files change.
std::vector<CorpusInfo> listCorpora();

// The full text of a built-in corpus. Throws llmf::Error with an apt-get hint when its package is missing, and
// one listing the valid ids for an unknown id.
std::string loadCorpus(const std::string &id);

// Jane Austen when r-cran-janeaustenr is installed, else the generated fallback. `chosenId` receives which.
// A corpus that is installed but unreadable throws rather than silently switching.
std::string defaultCorpusText(std::string *chosenId = nullptr);

// The user's own text: one file, or a folder whose *.txt files (recursively, sorted by path) are joined with a
// blank line ("\n\n"); empty files in a folder are skipped. A UTF-8 byte-order mark is dropped and CRLF line
// ends become LF. Throws llmf::Error naming the file for: a missing path, an empty file, binary data (NUL
// bytes, UTF-16) or invalid UTF-8 (with the byte offset), a folder without .txt files.
std::string readUserText(const std::string &path);
// The check readUserText applies to each file's bytes: UTF-8 without NUL (else llmf::Error naming `path`, the byte
// offset and how to convert), BOM dropped, CRLF -> LF.
std::string checkedUserText(std::string bytes, const std::string &path);

// The six Jane Austen novels from r-cran-janeaustenr's lazy-load database (`Rdata.rdb`, with `Rdata.rdx`
// beside it), in publication order: each novel's lines joined by "\n", novels separated by a blank line.
std::string janeAustenText(const std::string &rdbPath);

// The entries of one fortune(6) data file (entries end at a line holding only "%"), with ANSI colour codes
// (ESC [ ... letter) removed and surrounding blank lines trimmed. The fortunes-zh corpus joins them with a blank
// line.
std::vector<std::string> fortuneEntries(std::string_view fortuneFile);

} // namespace llmf
