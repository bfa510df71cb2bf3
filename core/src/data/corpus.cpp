#include "llmf/data/corpus.h"

#include "llmf/common/atomicfile.h"
#include "llmf/common/error.h"
#include "llmf/data/fallbackcorpus.h"
#include "llmf/data/rlazyloaddb.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <map>
#include <mutex>
#include <system_error>

namespace fs = std::filesystem;

namespace llmf {

namespace {

// Where Debian (and R installed by hand) put r-cran-janeaustenr's data.
const std::array<const char *, 3> kJaneAustenRdb = {"/usr/lib/R/site-library/janeaustenr/data/Rdata.rdb",
                                                    "/usr/local/lib/R/site-library/janeaustenr/data/Rdata.rdb",
                                                    "/usr/lib/R/library/janeaustenr/data/Rdata.rdb"};
const char *kFortunesDir = "/usr/share/games/fortunes";
// fortunes-zh's UTF-8 data files (the *.dat files beside them are random-access indexes, the *.u8 names links).
const std::array<const char *, 3> kFortunesFiles = {"tang300", "song100", "chinese"};

// Publication order, so the corpus reads like the shelf (austen_books() uses the same order).
const std::array<const char *, 6> kNovels = {"sensesensibility", "prideprejudice", "mansfieldpark", "emma",
                                             "northangerabbey",  "persuasion"};

std::string rdxBeside(const std::string &rdbPath)
{
    const std::string stem = rdbPath.size() > 4 && rdbPath.compare(rdbPath.size() - 4, 4, ".rdb") == 0
                                 ? rdbPath.substr(0, rdbPath.size() - 4)
                                 : rdbPath;
    return stem + ".rdx";
}

bool isFile(const std::string &path)
{
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

std::string janeAustenRdb()
{
    for (const char *path : kJaneAustenRdb)
        if (isFile(path) && isFile(rdxBeside(path)))
            return path;
    return {};
}

std::vector<std::string> fortunesFiles()
{
    std::vector<std::string> found;
    for (const char *name : kFortunesFiles)
        if (const std::string path = std::string(kFortunesDir) + "/" + name; isFile(path))
            found.push_back(path);
    return found;
}

// Strict UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). Returns the offset of the first
// byte that does not start a valid sequence, or npos. Kept local: the tokenizer has its own validator.
size_t firstInvalidUtf8(std::string_view s)
{
    size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        const size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (len == 0 || i + len > s.size())
            return i;
        uint32_t cp = c & (0x7F >> len);
        for (size_t k = 1; k < len; ++k) {
            const auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (d & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += len;
    }
    return std::string_view::npos;
}

std::string hexByte(unsigned char c)
{
    const char *digits = "0123456789ABCDEF";
    return std::string("0x") + digits[c >> 4] + digits[c & 15];
}

void requireUtf8(const std::string &text, const std::string &what, const std::string &package)
{
    if (const size_t bad = firstInvalidUtf8(text); bad != std::string_view::npos)
        throw Error("The " + what + " text is not valid UTF-8 (at byte offset " + std::to_string(bad) + ").",
                    "Reinstall the package: sudo apt-get install --reinstall " + package);
}

std::string fortunesText(const std::vector<std::string> &files)
{
    std::string text;
    for (const std::string &file : files) {
        for (const std::string &entry : fortuneEntries(readFile(file))) {
            // fortunes-zh 2.98's "chinese" file also carries the Debian Reference manual, reference card and code of
            // conduct in Chinese (~630 entries, 1.2 MB of command lines and box-drawing tables); they are not the
            // poems and sayings this corpus is for.
            if (entry.find("Debian") != std::string::npos)
                continue;
            if (!text.empty())
                text += "\n\n";
            text += entry;
        }
    }
    return text;
}

// A cheap fingerprint of the files behind a corpus, so cached sizes are recomputed after a package upgrade.
std::string fingerprint(const std::vector<std::string> &paths)
{
    std::string key;
    for (const std::string &p : paths) {
        std::error_code ec;
        const auto size = fs::file_size(p, ec);
        const auto time = fs::last_write_time(p, ec).time_since_epoch().count();
        key += p + ":" + std::to_string(size) + ":" + std::to_string(time) + ";";
    }
    return key;
}

uint64_t cachedSize(const std::string &id, const std::string &key)
{
    static std::mutex mutex;
    static std::map<std::string, std::pair<std::string, uint64_t>> cache; // id -> (fingerprint, bytes)
    {
        const std::lock_guard<std::mutex> lock(mutex);
        if (const auto it = cache.find(id); it != cache.end() && it->second.first == key)
            return it->second.second;
    }
    uint64_t bytes = 0;
    try {
        bytes = loadCorpus(id).size(); // outside the lock: decoding takes tens of milliseconds
    } catch (const Error &) {
        bytes = 0; // unreadable: listed with size 0; loadCorpus() reports why when it is chosen
    }
    const std::lock_guard<std::mutex> lock(mutex);
    cache[id] = {key, bytes};
    return bytes;
}

} // namespace

// Checks one user file and returns its text (BOM dropped, CRLF -> LF). Offsets in errors count raw file bytes.
std::string checkedUserText(std::string bytes, const std::string &path)
{
    const std::string name = "'" + path + "'";
    const std::string binaryHint = "Choose a plain-text file (.txt) saved as UTF-8.";
    if (bytes.size() >= 2 && ((bytes[0] == '\xFF' && bytes[1] == '\xFE') || (bytes[0] == '\xFE' && bytes[1] == '\xFF')))
        throw Error(name + " is UTF-16 text, not UTF-8.",
                    "Save it again as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8 in.txt > out.txt).");
    if (const size_t nul = bytes.find('\0'); nul != std::string::npos)
        throw Error(name + " looks like a binary file, not UTF-8 text: it contains a NUL byte at byte offset " +
                        std::to_string(nul) + ".",
                    binaryHint);
    if (const size_t bad = firstInvalidUtf8(bytes); bad != std::string_view::npos)
        throw Error(name + " looks like a binary file, not UTF-8 text: the byte at offset " + std::to_string(bad) +
                        " (" + hexByte(static_cast<unsigned char>(bytes[bad])) + ") is not valid UTF-8.",
                    "If it is text in another encoding, convert it first, e.g. iconv -f GBK -t UTF-8 in.txt > out.txt "
                    "(or -f LATIN1).");
    if (bytes.compare(0, 3, "\xEF\xBB\xBF") == 0)
        bytes.erase(0, 3);
    std::string text; // CRLF -> LF, so Windows files tokenize like the others; a lone CR stays
    text.reserve(bytes.size());
    for (size_t i = 0; i < bytes.size(); ++i)
        if (!(bytes[i] == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n'))
            text += bytes[i];
    return text;
}

std::vector<std::string> fortuneEntries(std::string_view raw)
{
    std::vector<std::string> entries(1);
    size_t pos = 0;
    while (pos < raw.size()) {
        size_t end = raw.find('\n', pos);
        if (end == std::string_view::npos)
            end = raw.size();
        std::string line;
        // Drop ANSI escape sequences: ESC '[', parameters, one final byte, e.g. "\x1b[1;32m" (fortunes-zh colours
        // titles and authors with them).
        for (size_t i = pos; i < end; ++i) {
            if (raw[i] != '\x1b') {
                line += raw[i];
                continue;
            }
            if (i + 1 < end && raw[i + 1] == '[') {
                i += 2;
                while (i < end && raw[i] >= 0x20 && raw[i] <= 0x3F) // parameter and intermediate bytes
                    ++i;
            } // else: a lone ESC, dropped; the loop's ++i skips the final byte of a sequence
        }
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line == "%")
            entries.emplace_back();
        else
            entries.back() += line + "\n";
        pos = end + 1;
    }
    std::vector<std::string> out;
    for (std::string &entry : entries) {
        // Trim blank lines around an entry but keep its indentation and the blank lines inside (stanzas).
        const size_t first = entry.find_first_not_of(" \t\n");
        if (first == std::string::npos)
            continue;
        const size_t lineStart = entry.rfind('\n', first);
        entry.erase(0, lineStart == std::string::npos ? 0 : lineStart + 1);
        entry.erase(entry.find_last_not_of(" \t\n") + 1);
        out.push_back(std::move(entry));
    }
    return out;
}

std::string janeAustenText(const std::string &rdbPath)
{
    const std::string hint = "Reinstall the package: sudo apt-get install --reinstall r-cran-janeaustenr";
    try {
        const RLazyLoadDb db(rdxBeside(rdbPath), rdbPath);
        std::string text;
        for (const char *novel : kNovels) {
            if (!db.contains(novel))
                throw Error("'" + rdbPath + "' has no variable '" + novel + "'; is it really janeaustenr's data?",
                            hint);
            const RObject lines = db.load(novel);
            if (lines.type != RType::String)
                throw Error(std::string("janeaustenr's '") + novel + "' is a " + rTypeName(lines.type) +
                                ", not a character vector of lines.",
                            hint);
            if (!text.empty())
                text += "\n\n";
            for (size_t i = 0; i < lines.strings.size(); ++i) {
                if (i > 0)
                    text += '\n';
                text += lines.strings[i].value_or(""); // NA lines (none in 1.0.0) become empty lines
            }
        }
        return text;
    } catch (const Error &e) {
        throw Error(e.what(), hint); // the decoder's hint is generic; this one names the package
    }
}

std::vector<CorpusInfo> listCorpora()
{
    std::vector<CorpusInfo> list;

    CorpusInfo austen{"janeausten", "Jane Austen's six novels", "en", janeAustenRdb(), false, 0, "r-cran-janeaustenr"};
    austen.installed = !austen.source.empty();
    if (!austen.installed)
        austen.source = kJaneAustenRdb[0];
    else
        austen.bytes = cachedSize(austen.id, fingerprint({austen.source, rdxBeside(austen.source)}));
    list.push_back(austen);

    const std::vector<std::string> fortunes = fortunesFiles();
    CorpusInfo zh{"fortunes-zh", "Tang and Song poems and Chinese sayings", "zh", kFortunesDir, !fortunes.empty(), 0,
                  "fortunes-zh"};
    if (zh.installed)
        zh.bytes = cachedSize(zh.id, fingerprint(fortunes));
    list.push_back(zh);

    CorpusInfo fallback{"fallback", "Generated English sample", "en", "generated", true, 0, ""};
    fallback.bytes = cachedSize(fallback.id, "generated");
    list.push_back(fallback);
    return list;
}

std::string loadCorpus(const std::string &id)
{
    if (id == "janeausten") {
        const std::string rdb = janeAustenRdb();
        if (rdb.empty())
            throw Error("The Jane Austen corpus is not installed (looked for " + std::string(kJaneAustenRdb[0]) + ").",
                        "Install it with: sudo apt-get install r-cran-janeaustenr");
        std::string text = janeAustenText(rdb);
        requireUtf8(text, "Jane Austen", "r-cran-janeaustenr");
        return text;
    }
    if (id == "fortunes-zh") {
        const std::vector<std::string> files = fortunesFiles();
        if (files.empty())
            throw Error("The Chinese corpus is not installed (looked in " + std::string(kFortunesDir) + ").",
                        "Install it with: sudo apt-get install fortunes-zh");
        std::string text = fortunesText(files);
        requireUtf8(text, "fortunes-zh", "fortunes-zh");
        return text;
    }
    if (id == "fallback")
        return fallbackCorpus();
    throw Error("Unknown corpus '" + id + "'. Valid ids: janeausten, fortunes-zh, fallback.",
                "Use one of those ids, or give the path of your own .txt file or folder.");
}

std::string defaultCorpusText(std::string *chosenId)
{
    const std::string id = janeAustenRdb().empty() ? "fallback" : "janeausten";
    if (chosenId)
        *chosenId = id;
    return loadCorpus(id);
}

std::string readUserText(const std::string &path)
{
    if (path.empty())
        throw Error("No text file or folder was given.", "Pick a .txt file or a folder of .txt files.");
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status))
        throw Error("'" + path + "' does not exist.", "Check the path; it should be a .txt file or a folder of them.");

    if (fs::is_regular_file(status)) {
        std::string text = checkedUserText(readFile(path), path);
        if (text.empty())
            throw Error("'" + path + "' is empty.", "Put some text in it, or choose another file.");
        return text;
    }
    if (!fs::is_directory(status))
        throw Error("'" + path + "' is neither a file nor a folder.", "Pick a .txt file or a folder of .txt files.");

    std::vector<std::string> files;
    for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
        std::string ext = it->path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
        std::error_code fileEc;
        if (ext == ".txt" && it->is_regular_file(fileEc))
            files.push_back(it->path().string());
    }
    if (ec)
        throw Error("Cannot list the folder '" + path + "': " + ec.message() + ".", "Check its permissions.");
    if (files.empty())
        throw Error("The folder '" + path + "' contains no .txt files.",
                    "Put your text in files ending in .txt (UTF-8), or pick a single file.");
    std::sort(files.begin(), files.end()); // directory order is arbitrary; sorted keeps runs reproducible

    std::string text;
    for (const std::string &file : files) {
        const std::string part = checkedUserText(readFile(file), file);
        if (part.empty())
            continue;
        if (!text.empty())
            text += "\n\n";
        text += part;
    }
    if (text.empty())
        throw Error("All .txt files in '" + path + "' are empty.", "Put some text in them.");
    return text;
}

} // namespace llmf
