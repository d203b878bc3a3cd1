/* lang.cc - language identification for the shim, over CLD2
 *
 * Implements xsh_lang_detect() of shim/xsh.h: which language a text is in,
 * as an ISO 639-1 code, through Google's Compact Language Detector 2 (a C++
 * library, hence here).  It owns no state: CLD2's tables are static.  It
 * must not let an exception cross into C, print, or guess: a text CLD2 is
 * not sure of gives "", and the caller falls back to its default.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
/* CLD2's header uses FILE without including <cstdio>. */
#include <cstdio>
#include <cstring>

#include <public/compact_lang_det.h>
#include <public/encodings.h>

#include "shim/xsh.h"

/* CLD2 looks at letters only and ignores the rest; more than this many
 * bytes adds time and no accuracy (its own examples use 64 KB or less).
 * The cut is moved back to a character boundary. */
static const size_t lang_max_bytes = 64 * 1024;

/* CLD2 calls a text "reliable" only when it is long enough; one line such
 * as "Президент підписав закон" is told apart correctly but flagged as not
 * reliable.  We accept an unreliable answer when its language holds at
 * least this share of the letters: the three languages this corpus mixes
 * have disjoint letter statistics, and a wrong "" costs more (the document
 * falls to the default) than a rare wrong code. */
static const int lang_min_percent = 80;

xsh_status_t
xsh_lang_detect(const char *text, size_t len, char out[XSH_LANG_LEN],
                bool *is_reliable)
{
    if (out)
        out[0] = '\0';
    if (is_reliable)
        *is_reliable = false;
    if (!out || (!text && len > 0))
        return XSH_INVALID_ARG;
    try {
        if (len > lang_max_bytes) {
            len = lang_max_bytes;
            while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
                len--;
        }
        CLD2::CLDHints hints = { nullptr, nullptr, CLD2::UNKNOWN_ENCODING,
                                 CLD2::UNKNOWN_LANGUAGE };
        CLD2::Language lang3[3];
        int percent3[3];
        double score3[3];
        int text_bytes = 0, valid_prefix = 0;
        bool reliable = false;
        CLD2::Language lang = CLD2::ExtDetectLanguageSummaryCheckUTF8(
            text, (int)len, true, &hints, 0, lang3, percent3, score3,
            nullptr, &text_bytes, &reliable, &valid_prefix);
        if (lang == CLD2::UNKNOWN_LANGUAGE || lang == CLD2::TG_UNKNOWN_LANGUAGE)
            return XSH_OK;
        if (!reliable && (lang3[0] != lang || percent3[0] < lang_min_percent))
            return XSH_OK;
        const char *code = CLD2::LanguageCode(lang);
        if (!code || std::strlen(code) >= XSH_LANG_LEN)
            return XSH_OK;
        std::strcpy(out, code);
        if (is_reliable)
            *is_reliable = reliable;
        return XSH_OK;
    } catch (...) {
        out[0] = '\0';
        return XSH_INTERNAL;
    }
}
