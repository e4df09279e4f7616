// SPDX-License-Identifier: (GPL-2.0 OR MIT)
/*
 * Queries: the JSON Lines program, a byte loop like the CSV reference
 * (query_gen_csv.c) over the same 256-byte buffer, whose state survives
 * refills (what both emit alike: query_gen_loop.c).  A record is a line
 * holding one flat JSON object; the rules are in
 * Documentation/examples/queries.md ("JSON Lines") and query_host.c
 * implements them apart from this file.
 *
 * The state (S_JST) says where in the object the byte is.  A key is
 * matched against the query's names while it streams by, on a trie
 * compiled into the program: r8 is the trie node (-1: no name has this
 * prefix), each node a run of compares with its children's bytes, the
 * node found by a binary search on its number.  At the key's closing
 * quote the node says which field (if any) the value belongs to; its kind
 * (S_KIND) says how the value is parsed: a number, a date or text in a
 * string, or skipped.  Values then use r8 (value) and r9 (flags and the
 * byte count) as the CSV loop does.
 *
 * Registers: r6 = next byte (index in the buffer), r7 = bytes in it,
 * r5 = the byte, r8/r9 as above, r0-r4 scratch.
 */
#include <errno.h>
#include <stdlib.h>

#include "query_gen.h"

/* where the byte is */
enum {
	J_LINE,		/* before '{' */
	J_OPEN,		/* after '{': a key or '}' */
	J_KEYQ,		/* after ',': a key */
	J_KEY,		/* in a key */
	J_KESC,		/* after a '\' in a key */
	J_KU,		/* in a key's \uXXXX */
	J_COLON,	/* after a key */
	J_VAL,		/* after ':' */
	J_STR,		/* in a string value the query uses (text, date) */
	J_VESC,		/* after a '\' there */
	J_VU,		/* in its \uXXXX */
	J_SSTR,		/* in a string value skipped */
	J_SESC,		/* after a '\' there (any byte) */
	J_NUM,		/* in a number the query uses */
	J_SKIPV,	/* in a number or literal skipped */
	J_AFTER,	/* after a value: ',' or '}' */
	J_END,		/* after '}': blanks to the line's end */
	J_BAD,		/* malformed: to the line's end */
};

#define S_JST	S_F		/* the state */
#define S_SEEN	S_HDR		/* bit per field whose key came */
#define S_U	S_FSTART	/* \uXXXX: the code point so far */
#define S_UN	S_RSTART	/* \uXXXX: hex digits so far */

#define MAX_TRIE	512	/* nodes: the names' bytes, plus the root */

struct trie {
	int	n;
	int	parent[MAX_TRIE];
	int	byte[MAX_TRIE];		/* the byte leading to the node */
	int	field[MAX_TRIE];	/* the field a key ending here names, or -1 */
	int	label[MAX_TRIE];
};

static int trie_build(struct gen *g, struct trie *t)
{
	struct uringblk_query *q = g->c->q;

	t->n = 1;
	t->parent[0] = -1;
	t->field[0] = -1;
	for (int i = 0; i < q->nfields; i++) {
		const unsigned char *s = (const unsigned char *)q->names[q->fields[i].col];
		int node = 0;

		for (; *s; s++) {
			int k;

			for (k = 1; k < t->n; k++)
				if (t->parent[k] == node && t->byte[k] == *s)
					break;
			if (k == t->n) {
				if (t->n == MAX_TRIE)
					return query_error(g->c, -E2BIG, q->fields[i].at,
							   "the names are too long: at most %d bytes in all",
							   MAX_TRIE - 1);
				t->parent[k] = node;
				t->byte[k] = *s;
				t->field[k] = -1;
				t->n++;
			}
			node = k;
		}
		t->field[node] = i;
	}
	for (int k = 0; k < t->n; k++)
		t->label[k] = new_label(g);
	return 0;
}

/* jump to node r8's label, nodes [lo, hi) (r8 is one of them) */
static void trie_search(struct gen *g, const struct trie *t, int lo, int hi)
{
	if (hi - lo <= 4) {
		for (int k = lo; k < hi - 1; k++)
			JMP_K(BPF_JEQ, 8, k, t->label[k]);
		JA(t->label[hi - 1]);
		return;
	}
	{
		int mid = lo + (hi - lo) / 2, right = new_label(g);

		JMP_K(BPF_JGE, 8, mid, right);
		trie_search(g, t, lo, mid);
		place(g, right);
		trie_search(g, t, mid, hi);
	}
}

/* a key's byte (r5): to the child of node r8 it leads to, or -1; then @loop */
static void gen_trie_step(struct gen *g, const struct trie *t, int loop)
{
	trie_search(g, t, 0, t->n);
	for (int k = 0; k < t->n; k++) {
		place(g, t->label[k]);
		for (int c = 1; c < t->n; c++) {
			int l;

			if (t->parent[c] != k)
				continue;
			l = new_label(g);
			JMP_K(BPF_JNE, 5, t->byte[c], l);
			MOV_K(8, c);
			JA(loop);
			place(g, l);
		}
		MOV_K(8, -1);
		JA(loop);
	}
}

/* jump to @l if r5 is JSON white space within a line */
static void jump_if_ws(struct gen *g, int l)
{
	JMP_K(BPF_JEQ, 5, ' ', l);
	JMP_K(BPF_JEQ, 5, '\t', l);
	JMP_K(BPF_JEQ, 5, '\r', l);
}

static void set_state(struct gen *g, int st)
{
	ST(BPF_DW, 10, S_JST, st);
}

/*
 * A '\' escape's byte (r5): the simple ones to the byte they stand for
 * in r5 and on to @feed, 'u' to state @ustate and @loop, anything else
 * to @bad.
 */
static void gen_escape(struct gen *g, int feed, int ustate, int loop, int bad)
{
	static const char from[] = "bfnrt", to[] = "\b\f\n\r\t";

	JMP_K(BPF_JEQ, 5, '"', feed);
	JMP_K(BPF_JEQ, 5, '\\', feed);
	JMP_K(BPF_JEQ, 5, '/', feed);
	for (int i = 0; from[i]; i++) {
		int l = new_label(g);

		JMP_K(BPF_JNE, 5, from[i], l);
		MOV_K(5, to[i]);
		JA(feed);
		place(g, l);
	}
	JMP_K(BPF_JNE, 5, 'u', bad);
	ST(BPF_DW, 10, S_U, 0);
	ST(BPF_DW, 10, S_UN, 0);
	set_state(g, ustate);
	JA(loop);
}

/*
 * A hex digit of \uXXXX (r5): after the fourth, the code point in r5 and
 * to @done; not a hex digit: to @bad; else to @loop.  Uses r1, r2.
 */
static void gen_hex(struct gen *g, int loop, int done, int bad)
{
	int dig = new_label(g), lower = new_label(g);

	MOV_X(1, 5);
	ALU_K(BPF_SUB, 1, '0');
	JMP_K(BPF_JLE, 1, 9, dig);
	MOV_X(1, 5);
	ALU_K(BPF_OR, 1, 0x20);
	ALU_K(BPF_SUB, 1, 'a');
	JMP_K(BPF_JLE, 1, 5, lower);
	JA(bad);
	place(g, lower);
	ALU_K(BPF_ADD, 1, 10);
	place(g, dig);
	LD_STACK(2, S_U);
	ALU_K(BPF_LSH, 2, 4);
	ALU_X(BPF_OR, 2, 1);
	ST_STACK(S_U, 2);
	LD_STACK(1, S_UN);
	ALU_K(BPF_ADD, 1, 1);
	ST_STACK(S_UN, 1);
	JMP_K(BPF_JLT, 1, 4, loop);
	MOV_X(5, 2);
	JA(done);
}

/* the value of field S_CUR is r8: its slot, its VALID bit; then to @then */
static void gen_store(struct gen *g, int then)
{
	gen_store_field(g);
	JA(then);
}

void gen_json(struct gen *g)
{
	struct uringblk_query *q = g->c->q;
	struct trie *t = calloc(1, sizeof(*t));
	int loop = new_label(g), refill = new_label(g), nl = new_label(g);
	int bad = new_label(g), done = new_label(g), overflow = new_label(g);
	int eof_data = new_label(g), eof_nul = new_label(g);
	int reset = new_label(g), malformed = new_label(g);
	int st_line = new_label(g), st_open = new_label(g);
	int st_keyq = new_label(g), st_key = new_label(g);
	int st_kesc = new_label(g), st_ku = new_label(g);
	int st_colon = new_label(g), st_val = new_label(g);
	int st_str = new_label(g), st_vesc = new_label(g), st_vu = new_label(g);
	int st_sstr = new_label(g), st_sesc = new_label(g);
	int st_num = new_label(g), st_skipv = new_label(g);
	int st_after = new_label(g), st_end = new_label(g);
	int key_start = new_label(g), kfeed = new_label(g), key_end = new_label(g);
	int vfeed = new_label(g), vstr_end = new_label(g);
	int num_end = new_label(g);
	int to_keyq = new_label(g), to_end = new_label(g), to_after = new_label(g);
	int match[URINGBLK_QUERY_MAX_FIELDS];
	int i;

	if (!t) {
		g->err = -ENOMEM;
		return;
	}
	if (trie_build(g, t)) {
		g->err = g->c->ret ? g->c->ret : -E2BIG;
		free(t);
		return;
	}
	gen_prologue(g);
	set_state(g, J_LINE);
	ST(BPF_DW, 10, S_VALID, 0);
	ST(BPF_DW, 10, S_SEEN, 0);
	ST(BPF_DW, 10, S_EOF, 0);

	/* the byte loop: line ends and the data's end first, then the state */
	place(g, loop);
	gen_next_byte(g, refill);
	JMP_K(BPF_JEQ, 5, '\n', nl);
	JMP_K(BPF_JEQ, 5, 0, eof_nul);
	LD_STACK(1, S_JST);
	JMP_K(BPF_JEQ, 1, J_SSTR, st_sstr);
	JMP_K(BPF_JEQ, 1, J_KEY, st_key);
	JMP_K(BPF_JEQ, 1, J_STR, st_str);
	JMP_K(BPF_JEQ, 1, J_NUM, st_num);
	JMP_K(BPF_JEQ, 1, J_SKIPV, st_skipv);
	JMP_K(BPF_JEQ, 1, J_AFTER, st_after);
	JMP_K(BPF_JEQ, 1, J_COLON, st_colon);
	JMP_K(BPF_JEQ, 1, J_VAL, st_val);
	JMP_K(BPF_JEQ, 1, J_KEYQ, st_keyq);
	JMP_K(BPF_JEQ, 1, J_BAD, loop);
	JMP_K(BPF_JEQ, 1, J_SESC, st_sesc);
	JMP_K(BPF_JEQ, 1, J_KESC, st_kesc);
	JMP_K(BPF_JEQ, 1, J_VESC, st_vesc);
	JMP_K(BPF_JEQ, 1, J_KU, st_ku);
	JMP_K(BPF_JEQ, 1, J_VU, st_vu);
	JMP_K(BPF_JEQ, 1, J_OPEN, st_open);
	JMP_K(BPF_JEQ, 1, J_END, st_end);
	JA(st_line);

	/* a string skipped: to its closing quote; a '\' takes any byte */
	place(g, st_sstr);
	JMP_K(BPF_JEQ, 5, '"', to_after);
	JMP_K(BPF_JNE, 5, '\\', loop);
	set_state(g, J_SESC);
	JA(loop);
	place(g, st_sesc);
	set_state(g, J_SSTR);
	JA(loop);

	/* a key: its bytes walk the trie */
	place(g, st_key);
	JMP_K(BPF_JEQ, 5, '"', key_end);
	JMP_K(BPF_JNE, 5, '\\', kfeed);
	set_state(g, J_KESC);
	JA(loop);
	place(g, st_kesc);
	set_state(g, J_KEY);
	gen_escape(g, kfeed, J_KU, loop, bad);
	place(g, st_ku);
	{
		int cp = new_label(g);

		gen_hex(g, loop, cp, bad);
		place(g, cp);
		set_state(g, J_KEY);
		/* past ASCII: no name has it (names are matched byte for byte) */
		JMP_K(BPF_JLT, 5, 0x80, kfeed);
		MOV_K(8, -1);
		JA(loop);
	}
	place(g, kfeed);
	JMP_K(BPF_JSLT, 8, 0, loop);
	gen_trie_step(g, t, loop);

	/* the key's end: the field it names, once only */
	place(g, key_end);
	set_state(g, J_COLON);
	for (i = 0; i < q->nfields; i++) {
		int node = 0;

		for (const unsigned char *s = (const unsigned char *)q->names[q->fields[i].col]; *s; s++)
			for (int k = 1; k < t->n; k++)
				if (t->parent[k] == node && t->byte[k] == *s) {
					node = k;
					break;
				}
		match[i] = new_label(g);
		JMP_K(BPF_JEQ, 8, node, match[i]);
	}
	ST(BPF_DW, 10, S_KIND, K_SKIP);
	JA(loop);
	for (i = 0; i < q->nfields; i++) {
		place(g, match[i]);
		LD_STACK(1, S_SEEN);
		JMP_K(BPF_JSET, 1, 1 << i, bad);
		ALU_K(BPF_OR, 1, 1 << i);
		ST_STACK(S_SEEN, 1);
		gen_set_field(g, i);
		JA(loop);
	}

	/* a string the query uses: text (its first 8 bytes) or a date */
	place(g, st_str);
	JMP_K(BPF_JEQ, 5, '"', vstr_end);
	JMP_K(BPF_JNE, 5, '\\', vfeed);
	set_state(g, J_VESC);
	JA(loop);
	place(g, st_vesc);
	set_state(g, J_STR);
	gen_escape(g, vfeed, J_VU, loop, bad);
	place(g, st_vu);
	{
		int cp = new_label(g), big = new_label(g);

		gen_hex(g, loop, cp, bad);
		place(g, cp);
		set_state(g, J_STR);
		JMP_K(BPF_JGE, 5, 0x80, big);
		JA(vfeed);
		/* past ASCII: not a value of this language */
		place(g, big);
		ALU_K(BPF_OR, 9, F_BAD);
		JA(loop);
	}
	place(g, vfeed);
	{
		int date = new_label(g), dash = new_label(g), vbad = new_label(g);

		LD_STACK(1, S_KIND);
		JMP_K(BPF_JEQ, 1, K_DATE, date);
		/* text: the first 8 bytes in memory order */
		gen_pack_byte(g, false, loop);
		/* yyyy-mm-dd: ten bytes, no blanks */
		place(g, date);
		JMP_K(BPF_JSET, 9, F_BAD, loop);
		MOV_X(2, 9);
		ALU_K(BPF_AND, 2, 0xff);
		ALU_K(BPF_ADD, 9, 1);
		JMP_K(BPF_JGE, 2, 10, vbad);
		JMP_K(BPF_JEQ, 2, 4, dash);
		JMP_K(BPF_JEQ, 2, 7, dash);
		MOV_X(1, 5);
		ALU_K(BPF_SUB, 1, '0');
		JMP_K(BPF_JGT, 1, 9, vbad);
		ALU_K(BPF_MUL, 8, 10);
		ALU_X(BPF_ADD, 8, 1);
		JA(loop);
		place(g, dash);
		JMP_K(BPF_JNE, 5, '-', vbad);
		JA(loop);
		place(g, vbad);
		ALU_K(BPF_OR, 9, F_BAD);
		JA(loop);
	}
	place(g, vstr_end);
	set_state(g, J_AFTER);
	JMP_K(BPF_JSET, 9, F_BAD, loop);
	{
		int text = new_label(g);

		LD_STACK(1, S_KIND);
		JMP_K(BPF_JNE, 1, K_DATE, text);
		MOV_X(1, 9);
		ALU_K(BPF_AND, 1, 0xff);
		JMP_K(BPF_JNE, 1, 10, loop);
		place(g, text);
		gen_store(g, loop);
	}

	/* a number the query uses: [+|-]digits[.digits], as in CSV */
	place(g, st_num);
	{
		int other = new_label(g), acc2 = new_label(g), ovf = new_label(g);
		int nbad = new_label(g), neg = new_label(g);

		gen_num_digit(g, loop, other, ovf, acc2, nbad);
		place(g, ovf);
		gen_num_ovf(g, acc2, nbad);
		/* the value ends at ',', '}' or a blank */
		place(g, other);
		JMP_K(BPF_JEQ, 5, ',', num_end);
		JMP_K(BPF_JEQ, 5, '}', num_end);
		jump_if_ws(g, num_end);
		gen_num_sign_dot(g, loop, nbad);
		place(g, nbad);
		ALU_K(BPF_OR, 9, F_BAD);
		JA(loop);

		/* r5, the byte after it, is read again in J_AFTER */
		place(g, num_end);
		set_state(g, J_AFTER);
		gen_num_valid(g, st_after);
		gen_num_scale(g, st_after, neg);
		gen_store(g, st_after);
		place(g, neg);
		ALU_K(BPF_NEG, 8, 0);
		gen_store(g, st_after);
	}

	/* a number or literal skipped: to ',', '}' or a blank */
	place(g, st_skipv);
	JMP_K(BPF_JEQ, 5, ',', to_keyq);
	JMP_K(BPF_JEQ, 5, '}', to_end);
	jump_if_ws(g, to_after);
	JMP_K(BPF_JEQ, 5, '"', bad);
	JMP_K(BPF_JEQ, 5, '{', bad);
	JMP_K(BPF_JEQ, 5, '[', bad);
	JMP_K(BPF_JEQ, 5, ':', bad);
	JA(loop);

	place(g, st_after);
	jump_if_ws(g, loop);
	JMP_K(BPF_JEQ, 5, ',', to_keyq);
	JMP_K(BPF_JEQ, 5, '}', to_end);
	JA(bad);

	place(g, st_colon);
	jump_if_ws(g, loop);
	JMP_K(BPF_JNE, 5, ':', bad);
	set_state(g, J_VAL);
	JA(loop);

	/* a value begins: parsed as its field's kind wants, or skipped */
	place(g, st_val);
	{
		int str = new_label(g), skip = new_label(g);
		int skipstr = new_label(g);

		jump_if_ws(g, loop);
		MOV_K(8, 0);
		MOV_K(9, 0);
		JMP_K(BPF_JEQ, 5, ',', bad);
		JMP_K(BPF_JEQ, 5, '}', bad);
		JMP_K(BPF_JEQ, 5, '{', bad);
		JMP_K(BPF_JEQ, 5, '[', bad);
		LD_STACK(1, S_KIND);
		JMP_K(BPF_JEQ, 5, '"', str);
		JMP_K(BPF_JNE, 1, K_NUM, skip);
		set_state(g, J_NUM);
		JA(st_num);
		place(g, skip);
		set_state(g, J_SKIPV);
		JA(st_skipv);
		place(g, str);
		JMP_K(BPF_JEQ, 1, K_SKIP, skipstr);
		JMP_K(BPF_JEQ, 1, K_NUM, skipstr);
		set_state(g, J_STR);
		JA(loop);
		place(g, skipstr);
		set_state(g, J_SSTR);
		JA(loop);
	}

	place(g, st_keyq);
	jump_if_ws(g, loop);
	JMP_K(BPF_JEQ, 5, '"', key_start);
	JA(bad);

	place(g, st_open);
	jump_if_ws(g, loop);
	JMP_K(BPF_JEQ, 5, '"', key_start);
	JMP_K(BPF_JEQ, 5, '}', to_end);
	JA(bad);

	place(g, st_line);
	jump_if_ws(g, loop);
	JMP_K(BPF_JNE, 5, '{', bad);
	set_state(g, J_OPEN);
	JA(loop);

	place(g, st_end);
	jump_if_ws(g, loop);
	JA(bad);

	place(g, key_start);
	MOV_K(8, 0);
	set_state(g, J_KEY);
	JA(loop);

	place(g, to_keyq);
	set_state(g, J_KEYQ);
	JA(loop);
	place(g, to_end);
	set_state(g, J_END);
	JA(loop);
	place(g, to_after);
	set_state(g, J_AFTER);
	JA(loop);
	place(g, bad);
	set_state(g, J_BAD);
	JA(loop);

	/* a line ends: nothing but blanks, a record, or a malformed one */
	place(g, nl);
	LD_STACK(1, S_JST);
	JMP_K(BPF_JEQ, 1, J_LINE, reset);
	out_inc(g, QOUT_RECORDS);
	LD_STACK(1, S_JST);
	JMP_K(BPF_JNE, 1, J_END, malformed);
	gen_rec_end(g, malformed, reset, overflow);
	set_state(g, J_LINE);
	ST(BPF_DW, 10, S_VALID, 0);
	ST(BPF_DW, 10, S_SEEN, 0);
	LD_STACK(1, S_EOF);
	JMP_K(BPF_JNE, 1, 0, done);
	JA(loop);

	/* the data's end or a NUL: a last line without '\n' counts */
	gen_eof(g, eof_data, eof_nul);
	JA(nl);

	gen_loop_end(g, refill, eof_data, loop, done, overflow);
	free(t);
}
