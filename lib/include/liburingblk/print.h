/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * <liburingblk/print.h> - text and JSON printers of IDENTIFY, the counters,
 * the latency histograms and a query's result.
 *
 * These are the uringblk CLI's output formats.  They stay in the library
 * because liburingblk.so.1 exports them (LIBURINGBLK_1.0, 1.3, 1.4, 1.9)
 * and programs linked against them must keep working; they are frozen:
 * new output formats are written in the CLI (tools/cli/), not here.
 *
 * Part of <liburingblk.h>, which includes every header of liburingblk.
 */
#ifndef LIBURINGBLK_PRINT_H
#define LIBURINGBLK_PRINT_H

#include <stddef.h>
#include <stdio.h>
#include <liburingblk/uapi/uringblk.h>
#include <liburingblk/query.h>

#ifdef __cplusplus
extern "C" {
#endif

/* uringblk_fprint_*() flags */
#define URINGBLK_PRINT_JSON	(1U << 0)	/* JSON object instead of text */

/**
 * uringblk_fprint_identify() - print an IDENTIFY reply
 * @f:		output stream
 * @id:		reply from uringblk_identify()
 * @flags:	0 for aligned "name  value" text, or URINGBLK_PRINT_JSON for
 *		one JSON object holding every field
 *
 * Return: 0, -EINVAL for unknown @flags, or -EIO if writing @f failed.
 */
int uringblk_fprint_identify(FILE *f, const struct uringblk_identify *id,
			     unsigned int flags);

/**
 * uringblk_fprint_stats() - print counters
 * @f:		output stream
 * @stats:	counters
 * @flags:	0 for aligned text (byte counters also in binary units), or
 *		URINGBLK_PRINT_JSON for one JSON object with every counter
 *
 * Return: 0, -EINVAL for unknown @flags, or -EIO if writing @f failed.
 */
int uringblk_fprint_stats(FILE *f, const struct uringblk_stats *stats,
			  unsigned int flags);

/**
 * uringblk_fprint_json_string() - print a string as a JSON string literal
 * @f:		output stream
 * @s:		the string: up to @max bytes, or to its first NUL
 * @max:	its size (the field size for a NUL-padded field such as
 *		identify.model or a program name)
 *
 * Writes the quotes too; a quote or a backslash gets a backslash before
 * it and every byte outside printable ASCII becomes a \u00XX escape, so a
 * corrupt field still makes valid JSON.  The escaping
 * uringblk_fprint_identify() uses (since 1.4).
 */
void uringblk_fprint_json_string(FILE *f, const char *s, size_t max);

/**
 * uringblk_fprint_latency() - print the histograms' summary
 * @f:		output stream
 * @lat:	histograms
 * @flags:	0: a table, per operation count, mean, p50, p90, p99, p99.9
 *		and the upper bound of the highest non-empty bucket, in
 *		human units; URINGBLK_PRINT_JSON: one JSON object with the
 *		same in nanoseconds plus every non-empty bucket
 *
 * Return: 0, -EINVAL, -EPROTO, or -EIO if writing @f failed.
 */
int uringblk_fprint_latency(FILE *f, const struct uringblk_latency_stats *lat,
			    unsigned int flags);

/**
 * uringblk_query_fprint() - print a result as a table
 * @f:		where to print
 * @q:		the compiled query (it names the columns)
 * @res:	its result
 *
 * Prints a row per group and a column per SELECT item (named by its
 * text), then a "#" line with records, matched, malformed.
 *
 * Return: 0 or -errno of the write.
 */
int uringblk_query_fprint(FILE *f, const struct uringblk_query *q,
			  const struct uringblk_query_result *res);

#ifdef __cplusplus
}
#endif

#endif /* LIBURINGBLK_PRINT_H */
