#pragma once
/// @file schema.hpp
/// @brief The docbot Xapian schema: term prefixes, value slots, metadata keys. Shared by the
/// indexer (writes) and search (reads); nothing else knows these strings.
///
/// One Xapian document per section (page intro before the first H2, then each H2/H3).
/// Bump kSchemaVersion whenever anything below changes meaning; the indexer rebuilds an index
/// written with another version and search refuses to open one.
#include <string_view>

namespace docbot::schema {

inline constexpr std::string_view kSchemaVersion = "3";
/// Version of the indexer's rules (parsing, typing, language). Bump it when they change: an index
/// written under other rules is rebuilt in full, since unchanged files would keep stale fields.
inline constexpr std::string_view kRulesVersion = "3";

// ---- Term prefixes (Xapian convention: single capitals are standard, X... are our own) ----
inline constexpr std::string_view kPrefixId = "Q";        ///< unique section id: Q<doc>#<anchor>
inline constexpr std::string_view kPrefixPage = "XP";     ///< page id: XP<doc>; all sections of a page
inline constexpr std::string_view kPrefixTitle = "S";     ///< page title words (also indexed unprefixed)
inline constexpr std::string_view kPrefixHeading = "XH";  ///< heading-path words (also unprefixed)
inline constexpr std::string_view kPrefixCode = "XC";     ///< words from code blocks / inline code
inline constexpr std::string_view kPrefixError = "XE";    ///< exact error tokens, lowercased, unstemmed
inline constexpr std::string_view kPrefixLang = "L";      ///< language: Len, Lja (boolean)
inline constexpr std::string_view kPrefixType = "XT";     ///< Diátaxis type: XThow-to (boolean)
inline constexpr std::string_view kPrefixSource = "XS";   ///< source name (boolean)
inline constexpr std::string_view kPrefixKind = "XK";     ///< page kind: XKlanding, XKfragment (boolean)

// ---- Within-document frequency weights: BM25 sees title/headings as repeated body text ----
inline constexpr unsigned kWdfTitle = 4;
inline constexpr unsigned kWdfHeading = 3;
inline constexpr unsigned kWdfBody = 1;
inline constexpr unsigned kWdfCode = 1;
inline constexpr unsigned kWdfError = 2;

// ---- Value slots (all UTF-8 strings unless stated) ----
enum Slot : unsigned {
  kSlotDoc = 0,       ///< doc id "<source>/<path>"; collapse key: one result per page
  kSlotAnchor = 1,    ///< section anchor ("" for the page intro)
  kSlotTitle = 2,     ///< page title
  kSlotSection = 3,   ///< heading path joined with " › "
  kSlotType = 4,      ///< tutorial | how-to | reference | explanation | "" (unknown)
  kSlotLang = 5,      ///< en | ja | ...
  kSlotTypeRule = 6,  ///< which rule decided the type: front-matter | path | heuristic | none
  kSlotKind = 7,      ///< page | landing | fragment
  kSlotDepth = 8,     ///< heading level of the section: "1" intro, "2", "3"
};
// Document data: the section's prose, a newline, then its code text (for snippets), UTF-8.

// ---- Metadata keys ----
inline constexpr std::string_view kMetaSchema = "docbot.schema";
inline constexpr std::string_view kMetaSources = "docbot.sources";  ///< JSON {name: {dir, url_style}}
inline constexpr std::string_view kMetaFilePrefix = "docbot.file:"; ///< + doc id -> "size:mtime_ns:hash"
inline constexpr std::string_view kMetaRules = "docbot.rules";
inline constexpr std::string_view kMetaStats = "docbot.stats";      ///< JSON summary of the last run

}  // namespace docbot::schema
