// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Counter table and printers on fake replies: field names and order as
 * in the ABI, exact JSON for stats, JSON for identify that a real parser
 * (python3, when present) accepts even with hostile strings, and the
 * human text.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "private.h"
#include "test.h"

/* Written out by hand from <linux/uringblk.h>, not from the library. */
static const char *const abi_stats[] = {
	"read_ops", "read_bytes", "write_ops", "write_bytes", "flush_ops",
	"discard_ops", "discard_bytes", "write_zeroes_ops",
	"write_zeroes_bytes", "fua_ops", "errors", "in_flight",
	"bytes_to_host", "backing_bytes", "prog_loads", "prog_runs",
	"prog_aborts_budget", "prog_aborts_bounds", "prog_aborts_fault",
	"prog_insns", "prog_bytes_scanned", "prog_bytes_to_host",
	"zone_resets", "zone_opens", "zone_closes", "zone_finishes",
	"zone_appends", "zone_append_bytes", "faults_injected",
	"delays_injected", "prog_runs_inline", "prog_runs_worker",
	"executes", "mem_reads", "mem_writes", "mem_copies",
	"slm_bytes_to_host", "slm_bytes_from_host", "slm_bytes_from_media",
	"slm_bytes",
	"timing_timer_late_ns", "timing_early_ns",	/* ABI 1.8, where rsvd[2] was */
	"timing_held", "timing_late", "timing_late_ns", "timing_hurried",
	"timing_link_wait_ns", "timing_media_wait_ns", "timing_cu_waits",
	"timing_cu_wait_ns", "timing_cu_run_ns", "timing_cu_model_ns",
	"kv_cmds", "kv_bytes_to_host", "kv_bytes_from_host",
	"ssd_host_pages_written", "ssd_host_pages_read", "ssd_internal_pages_read",	/* ABI 1.12 */
	"ssd_host_pages_trimmed", "ssd_buffer_read_hits", "ssd_nand_pages_written",
	"ssd_nand_pages_padded", "ssd_nand_reads", "ssd_nand_programs", "ssd_gc_runs",
	"ssd_gc_forced_runs", "ssd_gc_pages_moved", "ssd_erases", "ssd_ctrl_busy_ns",
	"ssd_ctrl_compute_ns", "ssd_die_busy_ns_sum", "ssd_die_busy_ns_max",
};

static char *print_to_string(int (*fn)(FILE *, const void *, unsigned int),
			     const void *obj, unsigned int flags, int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*ret = fn(f, obj, flags);
	fclose(f);
	return buf;
}

static int stats_fn(FILE *f, const void *s, unsigned int flags)
{
	return uringblk_fprint_stats(f, s, flags);
}

static int identify_fn(FILE *f, const void *id, unsigned int flags)
{
	return uringblk_fprint_identify(f, id, flags);
}

static void fake_stats(struct uringblk_stats *s)
{
	__u64 *v = (__u64 *)s;
	unsigned int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < ARRAY_SIZE(abi_stats); i++)
		v[i] = 1000 * (i + 1);
	s->read_bytes = 3ULL << 30;		/* 3.0 GiB */
	s->bytes_to_host = UINT64_MAX;		/* full width survives */
}

static void test_field_table(void)
{
	struct uringblk_stats s;
	unsigned int i;

	fake_stats(&s);
	for (i = 0; i < ARRAY_SIZE(abi_stats); i++) {
		CHECK_STR(uringblk_stats_field_name(i), abi_stats[i]);
		CHECK_EQ(uringblk_stats_field(&s, i), ((__u64 *)&s)[i]);
	}
	CHECK(uringblk_stats_field_name(i) == NULL);
	CHECK(uringblk_stats_field_name(~0u) == NULL);
	CHECK_EQ(uringblk_stats_field(&s, i), 0);
	CHECK_EQ(s.write_ops, 3000);
}

static void test_stats_json(void)
{
	char want[4096], *got;
	struct uringblk_stats s;
	size_t off = 0;
	unsigned int i;
	int ret;

	fake_stats(&s);
	off += snprintf(want + off, sizeof(want) - off, "{");
	for (i = 0; i < ARRAY_SIZE(abi_stats); i++)
		off += snprintf(want + off, sizeof(want) - off,
				"%s\n  \"%s\": %llu", i ? "," : "",
				abi_stats[i],
				(unsigned long long)((__u64 *)&s)[i]);
	snprintf(want + off, sizeof(want) - off, "\n}\n");

	got = print_to_string(stats_fn, &s, URINGBLK_PRINT_JSON, &ret);
	CHECK_EQ(ret, 0);
	CHECK_STR(got, want);
	CHECK(strstr(got, "\"bytes_to_host\": 18446744073709551615") != NULL);
	CHECK(strstr(got, "rsvd") == NULL);
	free(got);
}

static void test_stats_text(void)
{
	struct uringblk_stats s;
	char *got, *line;
	unsigned int lines;
	int ret;

	fake_stats(&s);
	got = print_to_string(stats_fn, &s, 0, &ret);
	CHECK_EQ(ret, 0);
	line = strstr(got, "read_bytes");
	CHECK(line && strstr(line, "3221225472  (3.0 GiB)\n") != NULL);
	/*
	 * Aligned: 23 is the longest name ("ssd_internal_pages_read"), then
	 * two blanks and a 20-column number, so every value ends in column 45.
	 */
	CHECK(strstr(got, "\nwrite_ops                                3000\n"));
	lines = 0;
	for (line = got; *line; line = strchr(line, '\n') + 1) {
		size_t end = strcspn(line, "\n");

		if (end > 45 && strncmp(line + 45, "  (", 3))
			end = 0;
		CHECK_EQ(end < 45 ? 0 : line[44] != ' ', 1);
		lines++;
	}
	CHECK_EQ(lines, ARRAY_SIZE(abi_stats));
	CHECK_EQ(uringblk_fprint_stats(stdout, &s, 0x80), -EINVAL);
	free(got);
}

static void fake_identify(struct uringblk_identify *id)
{
	memset(id, 0, sizeof(*id));
	id->abi_major = 1;
	id->dev_index = 3;
	id->features = URINGBLK_F_FLUSH | URINGBLK_F_DISCARD |
		       URINGBLK_F_STATS_RESET | (1ULL << 40);
	id->capacity = 16ULL << 30;
	id->logical_block_size = 512;
	id->physical_block_size = 4096;
	id->nr_hw_queues = 4;
	id->nr_poll_queues = 1;
	id->queue_depth = 128;
	id->max_hw_sectors = 2560;
	id->max_discard_sectors = 0;
	id->max_reply_len = URINGBLK_MAX_REPLY_LEN;
	id->max_progs = 64;
	id->max_prog_insns = 4096;
	id->max_exec_out = 1 << 20;
	id->prog_stack_size = 512;
	id->default_insn_budget = 1000000;
	id->max_insn_budget = 1ULL << 40;
	/* Hostile: quote, backslash, control char, high byte, no NUL. */
	memset(id->model, 'M', sizeof(id->model));
	memcpy(id->model, "a\"b\\c\td\xff", 8);
	memcpy(id->firmware_rev, "1.0", 3);
}

static void test_identify_json(void)
{
	char path[] = "/tmp/uringblk-json-XXXXXX", cmd[512], out[512];
	struct uringblk_identify id;
	FILE *f, *p;
	char *got;
	int ret, fd;

	fake_identify(&id);
	got = print_to_string(identify_fn, &id, URINGBLK_PRINT_JSON, &ret);
	CHECK_EQ(ret, 0);
	CHECK(strstr(got, "\"capacity\": 17179869184,") != NULL);
	CHECK(strstr(got, "\"max_exec_out\": 1048576,") != NULL);
	CHECK(strstr(got, "\"max_insn_budget\": 1099511627776,") != NULL);
	CHECK(strstr(got, "\"feature_names\": [\"flush\", \"discard\", "
			  "\"stats_reset\", \"bit40\"],") != NULL);
	CHECK(strstr(got, "\"model\": \"a\\\"b\\\\c\\u0009d\\u00ff"
			  "MMMMMMMMMMMMMMMMMMMMMMMM\",") != NULL);

	if (system("python3 -c '' 2>/dev/null")) {
		SKIP("python3 not available to parse the JSON");
		free(got);
		return;
	}
	fd = mkstemp(path);
	CHECK(fd >= 0);
	f = fdopen(fd, "w");
	fputs(got, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); "
		 "print(len(d), d[\"model\"][:8].encode(\"unicode_escape\").decode(), "
		 "d[\"firmware_rev\"], d[\"capacity\"], \",\".join(d[\"feature_names\"]), "
		 "d[\"backing_name\"], d[\"max_reply_len\"])' %s", path);
	p = popen(cmd, "r");
	out[0] = '\0';
	if (!fgets(out, sizeof(out), p))
		out[0] = '\0';
	CHECK_EQ(pclose(p), 0);
	/*
	 * 38 fields, ABI 1.5's 9 timing fields, ABI 1.6's engines and
	 * engine_names, ABI 1.8's timing_timer_advance_ns
	 */
	CHECK_STR(out, "50 a\"b\\\\c\\td\\xff 1.0 17179869184 "
		       "flush,discard,stats_reset,bit40 mem 4096\n");
	unlink(path);
	free(got);
}

static void test_identify_text(void)
{
	struct uringblk_identify id;
	char *got;
	int ret;

	fake_identify(&id);
	got = print_to_string(identify_fn, &id, 0, &ret);
	CHECK_EQ(ret, 0);
	CHECK(strstr(got, "capacity          17179869184 bytes (16.0 GiB), "
			  "33554432 sectors\n") != NULL);
	CHECK(strstr(got, "block size        512 logical, 4096 physical\n"));
	CHECK(strstr(got, "queues            4 (1 poll), depth 128\n"));
	CHECK(strstr(got, "features          flush discard stats_reset bit40 "
			  "(0x10000000025)\n"));
	CHECK(strstr(got, "max transfer      2560 sectors (1.2 MiB)\n"));
	CHECK(strstr(got, "max discard       none\n"));
	CHECK(strstr(got, "model             a\"b\\c?d?MMMM"));
	/* no compute feature: no program limits */
	CHECK(!strstr(got, "insn budget"));
	free(got);

	/* a bio-based drive has no hardware queues to count */
	id.features |= URINGBLK_F_BIO;
	got = print_to_string(identify_fn, &id, 0, &ret);
	CHECK_EQ(ret, 0);
	CHECK(strstr(got, "queues            none (bio-based)\n"));
	CHECK(!strstr(got, "depth"));
	free(got);
	id.features &= ~URINGBLK_F_BIO;

	id.features |= URINGBLK_F_COMPUTE;
	got = print_to_string(identify_fn, &id, 0, &ret);
	CHECK_EQ(ret, 0);
	CHECK(strstr(got, "programs          64, up to 4096 insns, 512 B stack "
			  "per frame\n"));
	CHECK(strstr(got, "exec output       1048576 bytes (1.0 MiB)\n"));
	CHECK(strstr(got, "insn budget       1000000 default, 1099511627776 max\n"));
	free(got);

	/* no zoned feature: no zone lines, even with stray values */
	id.nr_zones = 9;
	got = print_to_string(identify_fn, &id, 0, &ret);
	CHECK(!strstr(got, "zones "));
	free(got);

	id.features |= URINGBLK_F_ZONED;
	id.zone_size = 256ULL << 20;
	id.zone_capacity = 192ULL << 20;
	id.nr_zones = 64;
	id.nr_conv_zones = 2;
	id.max_open_zones = 8;
	id.max_active_zones = 12;
	id.max_zone_append = 512 << 10;
	got = print_to_string(identify_fn, &id, 0, &ret);
	CHECK_EQ(ret, 0);
	CHECK(strstr(got, "zones             64 x 256.0 MiB (capacity 192.0 MiB), "
			  "2 conventional\n"));
	CHECK(strstr(got, "zone limits       open 8, active 12 (0 = no limit), "
			  "append 524288 bytes (512.0 KiB)\n"));
	CHECK(strstr(got, "features          flush discard stats_reset zoned "
			  "compute bit40"));
	free(got);
	got = print_to_string(identify_fn, &id, URINGBLK_PRINT_JSON, &ret);
	CHECK(strstr(got, "\"zone_capacity\": 201326592,\n"));
	CHECK(strstr(got, "\"max_zone_append\": 524288,\n"));
	free(got);

	/* no SLM feature: no SLM lines, even with stray values */
	id.slm_size = 256ULL << 20;
	id.slm_granularity = 4096;
	id.max_range_sets = 64;
	id.max_set_ranges = 32;
	id.max_mem_xfer = 16 << 20;
	got = print_to_string(identify_fn, &id, 0, &ret);
	CHECK(!strstr(got, "slm "));
	free(got);
	id.features |= URINGBLK_F_SLM;
	got = print_to_string(identify_fn, &id, 0, &ret);
	CHECK(strstr(got, "slm               268435456 bytes (256.0 MiB), "
			  "granularity 4096\n"));
	CHECK(strstr(got, "slm limits        64 range sets x 32 ranges, 16777216 "
			  "bytes (16.0 MiB) per transfer\n"));
	CHECK(strstr(got, "features          flush discard stats_reset zoned "
			  "compute slm bit40"));
	free(got);
	got = print_to_string(identify_fn, &id, URINGBLK_PRINT_JSON, &ret);
	CHECK(strstr(got, "\"slm_size\": 268435456,\n"));
	CHECK(strstr(got, "\"max_set_ranges\": 32,\n"));
	CHECK(strstr(got, "\"max_mem_xfer\": 16777216,\n"));
	free(got);

	/* extents (ABI 1.4): the limit only with the feature */
	id.max_exec_extents = 65536;
	got = print_to_string(identify_fn, &id, 0, &ret);
	CHECK(!strstr(got, "exec extents"));
	free(got);
	id.features |= URINGBLK_F_EXTENTS;
	got = print_to_string(identify_fn, &id, 0, &ret);
	CHECK(strstr(got, "exec extents      65536 per EXEC\n"));
	CHECK(strstr(got, "features          flush discard stats_reset zoned "
			  "compute slm extents bit40"));
	free(got);
	got = print_to_string(identify_fn, &id, URINGBLK_PRINT_JSON, &ret);
	CHECK(strstr(got, "\"max_exec_extents\": 65536,\n"));
	CHECK(strstr(got, "\"extents\", \"bit40\"]"));
	free(got);

	/* the timing model (ABI 1.5), its timer advance (1.8) only when set */
	id.timing_link_mbps = 3938;
	id.timing_compute_units = 4;
	id.timing_compute_factor_pct = 400;
	got = print_to_string(identify_fn, &id, 0, &ret);
	CHECK(!strstr(got, "timing"));
	free(got);
	id.features |= URINGBLK_F_TIMING;
	got = print_to_string(identify_fn, &id, 0, &ret);
	CHECK(strstr(got, "timing link       3938 MB/s per direction, 0 ns per command\n"));
	CHECK(strstr(got, "timing compute    4 units at 400% of the measured time"));
	CHECK(!strstr(got, "timing timers"));
	free(got);
	id.timing_timer_advance_ns = 300000;
	got = print_to_string(identify_fn, &id, 0, &ret);
	CHECK(strstr(got, "timing timers     armed up to 300000 ns before the deadline\n"));
	free(got);
	got = print_to_string(identify_fn, &id, URINGBLK_PRINT_JSON, &ret);
	CHECK(strstr(got, "\"timing_timer_advance_ns\": 300000,\n"));
	free(got);

	CHECK_STR(uringblk_feature_name(0), "flush");
	CHECK_STR(uringblk_feature_name(6), "zoned");
	CHECK_STR(uringblk_feature_name(7), "compute");
	CHECK_STR(uringblk_feature_name(8), "latency");
	CHECK_STR(uringblk_feature_name(9), "slm");
	CHECK_STR(uringblk_feature_name(10), "extents");
	CHECK_STR(uringblk_feature_name(11), "timing");
	CHECK_STR(uringblk_feature_name(12), "kbpf");
	CHECK_STR(uringblk_feature_name(13), "records");
	CHECK_STR(uringblk_feature_name(14), "vec_i8");
	CHECK_STR(uringblk_feature_name(15), "status");
	CHECK_STR(uringblk_feature_name(16), "bio");
	CHECK_STR(uringblk_feature_name(17), "rec_filter");
	CHECK_STR(uringblk_feature_name(18), "ssd");
	CHECK(uringblk_feature_name(19) == NULL);
}

/* The escaper the library and the CLI share (uringblk_fprint_json_string). */
static void test_json_string(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	uringblk_fprint_json_string(f, "a\"b\\c\n\x01\x7f\xffz", 10);
	fputc(' ', f);
	uringblk_fprint_json_string(f, "abc\0def", 8);	/* stops at the NUL */
	fputc(' ', f);
	uringblk_fprint_json_string(f, "abcdef", 3);	/* at most max bytes */
	fputc(' ', f);
	uringblk_fprint_json_string(f, "", 0);
	fclose(f);
	CHECK_STR(buf, "\"a\\\"b\\\\c\\u000a\\u0001\\u007f\\u00ffz\" "
		       "\"abc\" \"abc\" \"\"");
	free(buf);
}

int main(void)
{
	test_json_string();
	test_field_table();
	test_stats_json();
	test_stats_text();
	test_identify_json();
	test_identify_text();
	return test_summary("print");
}
