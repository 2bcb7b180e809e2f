// SPDX-License-Identifier: GPL-2.0-only
/*
 * mvgpuctl: command line, help and dispatch.
 *
 * Exit status: 0 on success, 1 when the command failed, 2 for a usage
 * error (unknown command or option, a missing or malformed argument).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mvgpuctl.h"

const char tool_name[] = PROG;
const int tool_fail_status = 1;

enum {
	OPT_JSON	= 1 << 0,
	OPT_ALL		= 1 << 1,
	OPT_PARENT	= 1 << 2,
	OPT_UUID	= 1 << 3,
	OPT_INTERVAL	= 1 << 4,
	OPT_COUNT	= 1 << 5,
	OPT_IOMMUFD	= 1 << 6,
};

struct command {
	const char *name;
	int (*run)(const struct opts *o, int argc, char **argv);
	unsigned int opts;
	const char *synopsis;
	const char *help;
};

static const struct command commands[] = {
	{ "list", cmd_list, OPT_JSON | OPT_ALL, "list [--all] [--json]",
	  "List the mdev parents of mvgpu (every mdev parent with --all), their types\n"
	  "with available_instances and description, and the existing devices.\n" },
	{ "create", cmd_create, OPT_PARENT | OPT_UUID,
	  "create TYPE [--parent PARENT] [--uuid UUID]",
	  "Create a device of TYPE (mvgpu-V1_4, or V1_4 for short; other mdev types\n"
	  "by their full name) and print its UUID. The parent is the first one with\n"
	  "room for TYPE unless --parent names one; the UUID is random unless --uuid\n"
	  "gives one. Needs root.\n" },
	{ "remove", cmd_remove, 0, "remove UUID",
	  "Remove a device. The kernel waits until no VM uses it. Needs root.\n" },
	{ "show", cmd_show, OPT_JSON, "show UUID [--json]",
	  "Show a device: type, parent and, for a vGPU, its resources, scheduler\n"
	  "weight and cap and the scheduler statistics (mvgpu/stats) if the module\n"
	  "has them.\n" },
	{ "top", cmd_top, OPT_JSON | OPT_INTERVAL | OPT_COUNT,
	  "top [--interval SECONDS] [--count N] [--json]",
	  "Show the share of each engine (render, copy) every vGPU used, from the\n"
	  "change of its busy time between samples, every SECONDS (default 1), N\n"
	  "times (default: until interrupted). With --json, one JSON document per\n"
	  "sample.\n" },
	{ "set", cmd_set, 0, "set UUID weight|cap N | set UUID plane_type region|dmabuf",
	  "Change a vGPU's scheduler weight (1-100, its share against the others) or\n"
	  "cap (0-100 percent of each engine, 0 for none), or how it offers its display\n"
	  "to the VMM (plane_type: region, or dmabuf for a VMM with OpenGL; only while\n"
	  "no VM has it open). Needs root.\n" },
	{ "qemu-args", cmd_qemu_args, OPT_IOMMUFD, "qemu-args UUID [--iommufd]",
	  "Print the QEMU options that give the device to a VM: through a VFIO\n"
	  "container (QEMU's default), or with --iommufd through iommufd (QEMU 9.0\n"
	  "and later, on kernels with iommufd and the VFIO device cdev), which avoids\n"
	  "the VFIO type1 unmap deadlock (see Documentation/host.rst).\n" },
	{ "libvirt-xml", cmd_libvirt_xml, 0, "libvirt-xml UUID",
	  "Print the libvirt <hostdev> element that gives the device to a VM.\n" },
};

#define NR_COMMANDS	((int)ARRAY_SIZE(commands))

static const struct command *current;

static const struct command *find_command(const char *name)
{
	int i;

	for (i = 0; i < NR_COMMANDS; i++) {
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	}
	return NULL;
}

static void print_usage(FILE *f)
{
	int i;

	fprintf(f, "usage: " PROG " [--sysfs-root DIR] COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "  %s\n", commands[i].synopsis);
	fprintf(f, "\n" PROG " COMMAND --help (or " PROG " help COMMAND) describes one.\n"
		"--sysfs-root DIR reads DIR instead of /sys (for tests).\n"
		"Exit status: 0 success, 1 failure, 2 usage error.\n");
}

static void print_command_help(const struct command *c)
{
	printf("usage: " PROG " %s\n\n%s", c->synopsis, c->help);
	if (c->opts & OPT_JSON)
		printf("\n--json prints JSON instead of a table.\n");
}

/**
 * usage_error() - report a wrong command line
 * @cmd: the command, or NULL
 * @fmt: what is wrong
 *
 * Return: EXIT_USAGE.
 */
int usage_error(const char *cmd, const char *fmt, ...)
{
	const struct command *c = cmd ? find_command(cmd) : NULL;
	va_list ap;

	va_start(ap, fmt);
	verr(fmt, ap);
	va_end(ap);
	if (c)
		fprintf(stderr, "usage: " PROG " %s (see " PROG " %s --help)\n", c->synopsis,
			c->name);
	else
		fprintf(stderr, "see " PROG " --help\n");
	return EXIT_USAGE;
}

/**
 * lookup_uuid() - the device a UUID argument names
 * @o: options (the sysfs root)
 * @arg: the argument
 * @st: filled with the scan; freed unless 0 is returned
 * @inst: the device, inside @st
 *
 * Return: 0, or the exit status after a message.
 */
int lookup_uuid(const struct opts *o, const char *arg, struct mdev_state *st,
		struct minst **inst)
{
	char uuid[UUID_LEN + 1];

	if (!uuid_valid(arg))
		return usage_error(current ? current->name : NULL,
				   "malformed UUID '%s': want 8-4-4-4-12 hex digits", arg);
	uuid_lower(uuid, arg);
	if (mdev_scan(o->root, st))
		return 1;
	*inst = mdev_inst(st, uuid);
	if (*inst)
		return 0;
	if (!st->nr_parents) {
		mdev_free(st);
		return no_parents_error(o->root);
	}
	err("no mdev device %s in %s/bus/mdev/devices; " PROG " list shows the devices",
	    uuid, o->root);
	mdev_free(st);
	return 1;
}

/* "--name=value" or "--name value"; NULL (after a message) if missing */
static const char *opt_value(int argc, char **argv, int *i, const char *eq)
{
	if (eq)
		return eq + 1;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static int parse_number(const char *opt, const char *s, double *d, long *l)
{
	char *end;

	if (d) {
		*d = strtod(s, &end);
		if (end != s && !*end && *d > 0 && *d <= 86400)
			return 0;
		return usage_error(current->name, "%s wants a number of seconds above 0, not '%s'",
				   opt, s);
	}
	*l = strtol(s, &end, 10);
	if (end != s && !*end && *l > 0)
		return 0;
	return usage_error(current->name, "%s wants a whole number above 0, not '%s'", opt, s);
}

static int apply_option(struct opts *o, const char *name, const char *val)
{
	static const struct {
		const char *name;
		unsigned int bit;
	} table[] = {
		{ "--json", OPT_JSON }, { "--all", OPT_ALL }, { "--parent", OPT_PARENT },
		{ "--uuid", OPT_UUID }, { "--interval", OPT_INTERVAL }, { "--count", OPT_COUNT },
		{ "--iommufd", OPT_IOMMUFD },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(table); i++) {
		if (!strcmp(name, table[i].name))
			break;
	}
	if (i == ARRAY_SIZE(table))
		return usage_error(current ? current->name : NULL, "unknown option %s", name);
	if (!current || !(current->opts & table[i].bit))
		return usage_error(current ? current->name : NULL, "%s is not an option of %s",
				   name, current ? current->name : "mvgpuctl without a command");
	switch (table[i].bit) {
	case OPT_JSON:
		o->json = true;
		return 0;
	case OPT_ALL:
		o->all = true;
		return 0;
	case OPT_IOMMUFD:
		o->iommufd = true;
		return 0;
	case OPT_PARENT:
		o->parent = val;
		return 0;
	case OPT_UUID:
		o->uuid = val;
		return 0;
	case OPT_INTERVAL:
		return parse_number(name, val, &o->interval, NULL);
	default:
		return parse_number(name, val, NULL, &o->count);
	}
}

static bool takes_value(const char *name)
{
	return !strcmp(name, "--parent") || !strcmp(name, "--uuid") ||
	       !strcmp(name, "--interval") || !strcmp(name, "--count") ||
	       !strcmp(name, "--sysfs-root");
}

int main(int argc, char **argv)
{
	struct opts o = { .root = "/sys", .interval = 1.0 };
	char **args = calloc(argc + 1, sizeof(*args));
	bool help = false, dashdash = false;
	int i, len, nargs = 0, ret = 0;
	const char *eq, *val, *cname;
	char name[64];

	if (!args)
		return 1;
	/* the command is the first word that is not an option or its value */
	for (i = 1; i < argc && !current; i++) {
		if (!strcmp(argv[i], "--")) {
			break;
		} else if (argv[i][0] == '-') {
			if (takes_value(argv[i]))
				i++;
		} else {
			current = find_command(argv[i]);
			if (!current && strcmp(argv[i], "help"))
				return usage_error(NULL, "unknown command '%s'", argv[i]);
			if (!current)
				break;
		}
	}
	cname = current ? current->name : NULL;
	for (i = 1; i < argc && !ret; i++) {
		if (dashdash || argv[i][0] != '-' || !argv[i][1]) {
			args[nargs++] = argv[i];
			continue;
		}
		if (!strcmp(argv[i], "--")) {
			dashdash = true;
			continue;
		}
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			help = true;
			continue;
		}
		eq = strchr(argv[i], '=');
		len = eq ? (int)(eq - argv[i]) : (int)strlen(argv[i]);
		snprintf(name, sizeof(name), "%.*s", len, argv[i]);
		val = NULL;
		if (takes_value(name)) {
			val = opt_value(argc, argv, &i, eq);
			if (!val || !*val) {
				ret = usage_error(cname, "%s needs a value", name);
				break;
			}
		} else if (eq) {
			ret = usage_error(cname, "%s takes no value", name);
			break;
		}
		if (!strcmp(name, "--sysfs-root"))
			o.root = val;
		else
			ret = apply_option(&o, name, val);
	}
	if (ret)
		goto out;
	/* args[0] is the command (or "help") */
	if (nargs && !strcmp(args[0], "help")) {
		const struct command *c = nargs > 1 ? find_command(args[1]) : NULL;

		if (nargs > 1 && !c)
			ret = usage_error(NULL, "unknown command '%s'", args[1]);
		else if (c)
			print_command_help(c);
		else
			print_usage(stdout);
		goto out;
	}
	if (help) {
		if (current)
			print_command_help(current);
		else
			print_usage(stdout);
		goto out;
	}
	if (!current) {
		print_usage(stderr);
		ret = EXIT_USAGE;
		goto out;
	}
	ret = current->run(&o, nargs - 1, args + 1);
out:
	fflush(stdout);
	free(args);
	return ret;
}
