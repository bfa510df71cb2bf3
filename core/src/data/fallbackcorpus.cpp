#include "llmf/data/fallbackcorpus.h"

#include <array>
#include <vector>

namespace llmf {

namespace {

// SplitMix64 (Steele et al.): tiny, fast, and identical everywhere - unlike std::uniform_int_distribution,
// whose output differs between standard libraries.
class Rng
{
public:
    explicit Rng(uint64_t seed) : m_state(seed) {}
    uint64_t next()
    {
        uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    size_t below(size_t n) { return size_t(next() % n); } // the modulo bias is irrelevant for n < 1000
    bool chance(int percent) { return below(100) < size_t(percent); }
    template <typename T, size_t N> const T &pick(const std::array<T, N> &items) { return items[below(N)]; }

private:
    uint64_t m_state;
};

struct Person
{
    const char *name;
    bool she;
};
struct Verb
{
    const char *base;
    const char *past;
};

// The word lists. Every noun takes "the"/"a"/"an"; the a/an choice is made from its first letter.
const std::array<Person, 24> kPeople = {
    {{"Anna", true},  {"Ben", false},    {"Clara", true},  {"Daniel", false}, {"Ella", true}, {"Felix", false},
     {"Grace", true}, {"Henry", false},  {"Iris", true},   {"James", false},  {"Kate", true}, {"Leo", false},
     {"Maya", true},  {"Noah", false},   {"Olivia", true}, {"Peter", false},  {"Rosa", true}, {"Samuel", false},
     {"Tessa", true}, {"Victor", false}, {"Wendy", true},  {"Oscar", false},  {"Lucy", true}, {"Arthur", false}}};
const std::array<const char *, 24> kCreatures = {
    "baker", "farmer", "teacher",   "miller",   "sailor",  "painter",  "doctor",   "child",
    "king",  "queen",  "old man",   "widow",    "fox",     "owl",      "grey cat", "brown dog",
    "horse", "goose",  "fisherman", "gardener", "soldier", "shepherd", "poet",     "stranger"};
const std::array<const char *, 48> kThings = {
    "apple",      "basket",       "book",     "bottle",  "bell",    "candle",   "chair",    "coat",
    "cup",        "door",         "drum",     "egg",     "feather", "flower",   "hat",      "key",
    "kettle",     "lamp",         "letter",   "map",     "boat",    "clock",    "coin",     "ring",
    "rope",       "shoe",         "spoon",    "stone",   "sword",   "table",    "window",   "ladder",
    "mirror",     "orange",       "umbrella", "violin",  "wagon",   "scarf",    "ribbon",   "loaf of bread",
    "pot of tea", "bowl of soup", "box",      "blanket", "pencil",  "painting", "envelope", "onion"};
const std::array<const char *, 24> kPlaces = {"river",   "market",  "forest",     "village", "hill",    "kitchen",
                                              "library", "harbour", "school",     "station", "garden",  "meadow",
                                              "bakery",  "castle",  "church",     "bridge",  "orchard", "valley",
                                              "cottage", "inn",     "lighthouse", "barn",    "square",  "mill"};
const std::array<const char *, 40> kAdjectives = {
    "old",     "young",  "small",   "large",    "quiet",  "bright",  "dark",   "warm",   "cold",      "green",
    "red",     "heavy",  "light",   "gentle",   "clever", "tired",   "happy",  "sad",    "careful",   "strange",
    "wooden",  "silver", "golden",  "broken",   "shiny",  "dusty",   "little", "lovely", "empty",     "ancient",
    "curious", "humble", "elegant", "ordinary", "proud",  "patient", "clean",  "simple", "wonderful", "honest"};
const std::array<Verb, 32> kTransitive = {
    {{"find", "found"},      {"carry", "carried"},   {"paint", "painted"},   {"open", "opened"},
     {"close", "closed"},    {"see", "saw"},         {"lose", "lost"},       {"buy", "bought"},
     {"sell", "sold"},       {"clean", "cleaned"},   {"mend", "mended"},     {"watch", "watched"},
     {"bring", "brought"},   {"take", "took"},       {"hide", "hid"},        {"keep", "kept"},
     {"fill", "filled"},     {"polish", "polished"}, {"borrow", "borrowed"}, {"return", "returned"},
     {"admire", "admired"},  {"drop", "dropped"},    {"lift", "lifted"},     {"wrap", "wrapped"},
     {"follow", "followed"}, {"draw", "drew"},       {"hold", "held"},       {"weigh", "weighed"},
     {"fetch", "fetched"},   {"guard", "guarded"},   {"study", "studied"},   {"forget", "forgot"}}};
const std::array<Verb, 20> kIntransitive = {
    {{"sleep", "slept"},   {"laugh", "laughed"},    {"wait", "waited"},     {"smile", "smiled"}, {"sing", "sang"},
     {"walk", "walked"},   {"run", "ran"},          {"listen", "listened"}, {"rest", "rested"},  {"wander", "wandered"},
     {"dance", "danced"},  {"whistle", "whistled"}, {"cry", "cried"},       {"work", "worked"},  {"sit", "sat"},
     {"think", "thought"}, {"hurry", "hurried"},    {"read", "read"},       {"write", "wrote"},  {"pray", "prayed"}}};
const std::array<const char *, 20> kAdverbs = {
    "slowly", "quickly",   "quietly", "happily",  "carefully", "softly", "early",   "late",   "again",   "at once",
    "gladly", "patiently", "loudly",  "silently", "eagerly",   "calmly", "briefly", "gently", "proudly", "alone"};
const std::array<const char *, 16> kTimes = {"In the morning", "At noon",     "Later that day", "In the evening",
                                             "On Sunday",      "Before dawn", "After supper",   "One winter",
                                             "Every spring",   "That night",  "The next day",   "At last",
                                             "Long ago",       "Soon after",  "On market day",  "In the autumn"};
const std::array<const char *, 12> kPrepositions = {"in",   "near", "behind", "beside", "across",  "under",
                                                    "past", "by",   "inside", "above",  "towards", "around"};
const std::array<const char *, 12> kWeather = {"The sun was shining",
                                               "It was raining",
                                               "The wind was cold",
                                               "Snow fell softly on the roofs",
                                               "A thick fog lay over the fields",
                                               "The sky was clear and blue",
                                               "Thunder rolled in the distance",
                                               "The air smelled of rain",
                                               "The stars were bright",
                                               "It was a grey and quiet day",
                                               "The leaves were turning gold",
                                               "The frost had made everything white"};
const std::array<const char *, 10> kFeelings = {"glad",    "sorry",   "afraid",  "surprised", "proud",
                                                "worried", "curious", "pleased", "ashamed",   "grateful"};
const std::array<const char *, 8> kSayings = {"said",   "asked",    "whispered", "replied",
                                              "called", "answered", "murmured",  "cried"};

std::string capitalized(std::string s)
{
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z')
        s[0] = char(s[0] - 'a' + 'A');
    return s;
}

std::string withArticle(const std::string &noun)
{
    const bool vowel = std::string("aeiou").find(noun[0]) != std::string::npos;
    return (vowel ? "an " : "a ") + noun;
}

// Writes one paragraph about a main character; the pronoun sentences agree with that character.
class ParagraphWriter
{
public:
    ParagraphWriter(Rng &rng, const Person &hero) : m_rng(rng), m_hero(hero) {}

    std::string sentence()
    {
        // Every random choice is drawn up front, in a fixed order: the operands of one `+` chain are evaluated in an
        // unspecified order, so drawing inside it would make the text differ between compilers.
        Rng &r = m_rng;
        std::string other = r.pick(kPeople).name;
        while (other == m_hero.name) // "asked Kate, and Kate said yes" reads wrong
            other = r.pick(kPeople).name;
        const std::string thing = describe(r.pick(kThings)), thing2 = describe(r.pick(kThings));
        const std::string place = r.pick(kPlaces), creature = describe(r.pick(kCreatures));
        const Verb &tv = r.pick(kTransitive);
        const Verb &iv = r.pick(kIntransitive);
        const std::string when = r.pick(kTimes), how = r.pick(kAdverbs), where = r.pick(kPrepositions);
        const std::string adjective = r.pick(kAdjectives), feeling = r.pick(kFeelings), says = r.pick(kSayings);
        const std::string weather = r.pick(kWeather), answer = r.chance(70) ? "said yes." : "said no.";
        const std::string hero = m_hero.name, he = pronoun();
        switch (r.below(12)) {
        case 0:
            return when + ", " + subject() + " " + tv.past + " the " + thing + " " + where + " the " + place + ".";
        case 1:
            return "The " + creature + " " + iv.past + " " + how + ".";
        case 2:
            return hero + " and " + other + " " + iv.past + " " + where + " the " + place + ".";
        case 3:
            return subject() + " " + tv.past + " " + withArticle(thing) + ", and then " + he + " " + iv.past + ".";
        case 4:
            return "\"Where is the " + thing + "?\" " + says + " " + hero + ".";
        case 5:
            return "\"I think it is " + where + " the " + place + ",\" " + says + " " + other + ".";
        case 6:
            return "Because the " + thing + " was " + adjective + ", " + subject() + " " + tv.past + " it " + how + ".";
        case 7:
            return weather + ".";
        case 8:
            return "There was " + withArticle(thing) + " " + where + " the " + place + ".";
        case 9:
            return subject() + " did not " + tv.base + " the " + thing + "; " + he + " " + tv.past + " the " + thing2 +
                   " instead.";
        case 10:
            return subject() + " was " + feeling + " to see the " + creature + ".";
        default:
            return "\"Will you " + std::string(tv.base) + " the " + thing + " for me?\" " + says + " " + other +
                   ", and " + hero + " " + answer;
        }
    }

private:
    // The first mention names the hero; later ones mostly use the pronoun, as a storyteller would.
    std::string subject()
    {
        const bool usePronoun = m_mentioned && m_rng.chance(60);
        m_mentioned = true;
        return usePronoun ? pronoun() : m_hero.name;
    }
    std::string pronoun() const { return m_hero.she ? "she" : "he"; }
    std::string describe(const char *noun)
    {
        return m_rng.chance(45) ? std::string(m_rng.pick(kAdjectives)) + " " + noun : noun;
    }

    Rng &m_rng;
    const Person &m_hero;
    bool m_mentioned = false;
};

} // namespace

std::string fallbackCorpus(size_t approxBytes, uint64_t seed)
{
    Rng rng(seed);
    std::string text;
    text.reserve(approxBytes + 1024);
    int chapter = 0;
    for (int paragraph = 0; text.size() < approxBytes; ++paragraph) {
        if (paragraph % 24 == 0)
            text += "Chapter " + std::to_string(++chapter) + "\n\n";
        ParagraphWriter writer(rng, rng.pick(kPeople));
        const size_t sentences = 3 + rng.below(5);
        for (size_t i = 0; i < sentences; ++i) {
            if (i > 0)
                text += ' ';
            text += capitalized(writer.sentence());
        }
        text += "\n\n";
    }
    // End with one newline, like a text file, not with an empty paragraph.
    if (text.size() >= 2 && text.compare(text.size() - 2, 2, "\n\n") == 0)
        text.pop_back();
    return text;
}

} // namespace llmf
