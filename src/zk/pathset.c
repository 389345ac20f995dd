#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "zk/pathset.h"
#include "util.h"

static size_t
hash(const char *s)
{
	size_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

struct pnode *
pathset_find(const struct pathset *t, const char *path)
{
	if (t->tab == NULL)
		return NULL;
	for (struct pnode *n = t->tab[hash(path) % t->size]; n; n = n->next)
		if (strcmp(n->path, path) == 0)
			return n;
	return NULL;
}

static void
grow(struct pathset *t)
{
	size_t size = t->size ? t->size * 2 : 64;
	struct pnode **tab = xcalloc(size, sizeof(*tab));

	for (size_t i = 0; i < t->size; i++) {
		struct pnode *n, *next;
		for (n = t->tab[i]; n; n = next) {
			next = n->next;
			n->next = tab[hash(n->path) % size];
			tab[hash(n->path) % size] = n;
		}
	}
	free(t->tab);
	t->tab = tab;
	t->size = size;
}

struct pnode *
pathset_insert(struct pathset *t, const char *path)
{
	struct pnode *n = xcalloc(1, sizeof(*n));
	size_t b;

	if (t->count >= t->size)
		grow(t);
	n->path = xstrdup(path);
	b = hash(path) % t->size;
	n->next = t->tab[b];
	t->tab[b] = n;
	t->count++;
	return n;
}

void
pnode_free_kids(struct pnode *n)
{
	for (int i = 0; i < n->nkids; i++)
		free(n->kids[i]);
	free(n->kids);
	n->kids = NULL;
	n->nkids = 0;
}

static void
pnode_free(struct pnode *n)
{
	pnode_free_kids(n);
	free(n->path);
	free(n);
}

void
pathset_remove(struct pathset *t, struct pnode *n)
{
	struct pnode **pp = &t->tab[hash(n->path) % t->size];

	while (*pp != n)
		pp = &(*pp)->next;
	*pp = n->next;
	t->count--;
	pnode_free(n);
}

void
pathset_clear(struct pathset *t)
{
	for (size_t i = 0; i < t->size; i++) {
		struct pnode *n, *next;
		for (n = t->tab[i]; n; n = next) {
			next = n->next;
			pnode_free(n);
		}
	}
	free(t->tab);
	t->tab = NULL;
	t->size = t->count = 0;
}

int
names_have(char **names, int count, const char *name)
{
	return count > 0 && bsearch(&name, names, (size_t)count, sizeof(char *), strp_cmp) != NULL;
}

void
pnode_set_kids(struct pnode *n, char **names, int count, int32_t cversion)
{
	char **kids = xcalloc((size_t)count + 1, sizeof(char *));

	for (int i = 0; i < count; i++)
		kids[i] = xstrdup(names[i]);
	qsort(kids, (size_t)count, sizeof(char *), strp_cmp);
	pnode_free_kids(n);
	n->kids = kids;
	n->nkids = count;
	n->listed = 1;
	n->cversion = cversion;
}

int
pnode_has_kid(const struct pnode *n, const char *name)
{
	return names_have(n->kids, n->nkids, name);
}

void
pnode_drop_kid(struct pnode *n, const char *name)
{
	char **hit;

	if (n->nkids == 0)
		return;
	hit = bsearch(&name, n->kids, (size_t)n->nkids, sizeof(char *), strp_cmp);
	if (hit == NULL)
		return;
	free(*hit);
	memmove(hit, hit + 1, (size_t)(n->kids + n->nkids - (hit + 1)) * sizeof(char *));
	n->nkids--;
}
