// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgpu-doctor: CPU virtualization, KVM, hugepages and the memlock limit.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doctor.h"

/* VFIO pins guest memory: below this not even a small VM fits. */
#define MEMLOCK_MIN (1024ULL * 1024 * 1024)

static const char *line_value(const char *line)
{
	const char *colon = strchr(line, ':');

	if (!colon)
		return NULL;
	colon++;
	while (*colon == ' ' || *colon == '\t')
		colon++;
	return colon;
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

void check_cpu(struct doctor *d)
{
	int cpus = 0, flag_lines = 0, vmx = 0, svm = 0;
	struct check *c;
	char *line, *save = NULL, *text;

	if (!d->cpuinfo) {
		check_add(d, "cpu-virt", V_SKIP, "cannot read %s/cpuinfo", d->proc);
		return;
	}
	text = xstrdup(d->cpuinfo);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *v = line_value(line);

		if (starts_with(line, "processor"))
			cpus++;
		if (!starts_with(line, "flags") || !v)
			continue;
		flag_lines++;
		vmx += has_word(v, "vmx");
		svm += has_word(v, "svm");
	}
	free(text);
	if (!cpus)
		cpus = flag_lines;
	if (!flag_lines) {
		check_add(d, "cpu-virt", V_SKIP, "no x86 CPU flags in %s/cpuinfo", d->proc);
		return;
	}
	if (vmx || svm) {
		int n = vmx ? vmx : svm;

		c = check_add(d, "cpu-virt", n == flag_lines ? V_OK : V_WARN, "%s on %d of %d CPUs",
			      vmx ? "Intel VT-x (vmx)" : "AMD-V (svm)", n, cpus);
		if (n != flag_lines)
			check_fix(c,
				  "the firmware enabled virtualization on some CPUs only: update it and enable VT-x/AMD-V for all");
		return;
	}
	c = check_add(d, "cpu-virt", V_FAIL,
		      "no CPU has the vmx (Intel VT-x) or svm (AMD-V) flag%s",
		      d->hypervisor ? "; this is a virtual machine" : "");
	if (d->hypervisor)
		check_fix(c,
			  "enable nested virtualization on the hypervisor (KVM: modprobe kvm_intel nested=1 or kvm_amd nested=1, and give the VM -cpu host)");
	else
		check_fix(c,
			  "enable Intel VT-x or AMD-V (SVM mode) in the firmware setup; the kernel hides the flag when the firmware disables it");
}

void check_kvm(struct doctor *d)
{
	bool bi, intel = module_loaded(d, "kvm_intel", &bi), amd = module_loaded(d, "kvm_amd", &bi);
	const char *mod = intel ? "kvm_intel" : amd ? "kvm_amd" : NULL;
	char dev[32];
	char *path = sys_path(d, "class/misc/kvm"), *devfile = xasprintf("%s/dev", path);
	bool found = read_line(devfile, dev, sizeof(dev));
	struct check *c;
	struct stat st;

	free(devfile);
	if (!found) {
		c = check_add(d, "kvm", V_FAIL, "no KVM device: %s does not exist", path);
		if (mod)
			check_fix(c,
				  "%s is loaded but registered no /dev/kvm: look for \"disabled by bios\" or \"not supported\" in the kernel log",
				  mod);
		else if (!strcmp(d->cpu_vendor,
				 "AuthenticAMD") || !strcmp(d->cpu_vendor, "HygonGenuine"))
			check_fix(c,
				  "modprobe kvm_amd (enable SVM in the firmware setup first if the CPU lacks the svm flag)");
		else
			check_fix(c,
				  "modprobe kvm_intel (kvm_amd on AMD; enable VT-x in the firmware setup first if the CPU lacks the vmx flag)");
		free(path);
		return;
	}
	free(path);
	if (d->custom_root) {
		check_add(d, "kvm", V_OK, "/dev/kvm registered (misc %s)%s%s", dev,
			  mod ? " by " : "", mod ? mod : "");
		return;
	}
	if (stat("/dev/kvm", &st) || !S_ISCHR(st.st_mode)) {
		char *colon = strchr(dev, ':');

		c = check_add(d, "kvm", V_WARN,
			      "KVM is registered (misc %s) but /dev/kvm is missing",
			      dev);
		if (colon)
			*colon = ' ';
		check_fix(c,
			  "mount devtmpfs on /dev, or create the node: mknod /dev/kvm c %s",
			  dev);
		return;
	}
	if (access("/dev/kvm", R_OK | W_OK)) {
		c = check_add(d, "kvm", V_WARN, "/dev/kvm exists but this user cannot open it (%s)",
			      strerror(errno));
		check_fix(c, "add the user that runs QEMU to the kvm group: usermod -aG kvm USER");
		return;
	}
	check_add(d, "kvm", V_OK, "/dev/kvm is usable (misc %s)%s%s", dev, mod ? ", " : "",
		  mod ? mod : "");
}

static long long meminfo_value(const char *meminfo, const char *key)
{
	const char *p = meminfo;
	size_t kl = strlen(key);

	while (p && *p) {
		if (!strncmp(p, key, kl) && p[kl] == ':')
			return strtoll(p + kl + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

static long long read_ll(const char *path)
{
	char buf[64], *end;
	long long v;

	if (!read_line(path, buf, sizeof(buf)))
		return -1;
	v = strtoll(buf, &end, 10);
	return end == buf ? -1 : v;
}

void check_hugepages(struct doctor *d)
{
	char *dir = sys_path(d, "kernel/mm/hugepages"), *p, *meminfo, *detail = NULL, *tmp;
	unsigned long long total_bytes = 0, free_bytes = 0;
	size_t n, i;
	char **sizes = list_dir(dir, &n);
	struct check *c;

	for (i = 0; sizes && i < n; i++) {
		unsigned long long kb = strtoull(sizes[i] + strlen("hugepages-"), NULL, 10);
		long long nr, fr;
		char *sz;

		if (!starts_with(sizes[i], "hugepages-") || !kb)
			continue;
		p = xasprintf("%s/%s/nr_hugepages", dir, sizes[i]);
		nr = read_ll(p);
		free(p);
		p = xasprintf("%s/%s/free_hugepages", dir, sizes[i]);
		fr = read_ll(p);
		free(p);
		if (nr < 0)
			continue;
		if (fr < 0)
			fr = 0;
		total_bytes += (unsigned long long)nr * kb * 1024;
		free_bytes += (unsigned long long)fr * kb * 1024;
		sz = fmt_bytes(kb * 1024);
		tmp = xasprintf("%s%s%s pages: %lld (%lld free)", detail ? detail : "",
				detail ? ", " : "", sz, nr, fr);
		free(sz);
		free(detail);
		detail = tmp;
	}
	free_list(sizes, n);
	free(dir);

	/* without the sysfs directory, the default size from meminfo */
	p = proc_path(d, "meminfo");
	meminfo = read_text(p);
	free(p);
	if (!detail && meminfo && meminfo_value(meminfo, "Hugepagesize") > 0) {
		long long kb = meminfo_value(meminfo, "Hugepagesize");
		long long nr = meminfo_value(meminfo, "HugePages_Total");
		long long fr = meminfo_value(meminfo, "HugePages_Free");
		char *sz = fmt_bytes(kb * 1024);

		nr = nr < 0 ? 0 : nr;
		fr = fr < 0 ? 0 : fr;
		total_bytes = (unsigned long long)(nr * kb * 1024);
		free_bytes = (unsigned long long)(fr * kb * 1024);
		detail = xasprintf("%s pages: %lld (%lld free)", sz, nr, fr);
		free(sz);
	}
	free(meminfo);
	if (!detail) {
		check_add(d, "hugepages", V_SKIP,
			  "no hugepage support (no %s/kernel/mm/hugepages, no Hugepagesize in meminfo)",
			  d->sysfs);
		return;
	}
	if (!total_bytes) {
		c = check_add(d, "hugepages", V_WARN, "no hugepages reserved: %s", detail);
		check_fix(c,
			  "optional, for faster DMA mapping of guest memory: reserve them (hugepages=N or hugepagesz=1G hugepages=N on the kernel command line, or sysctl vm.nr_hugepages=N) and back VMs with them (libvirt <memoryBacking><hugepages/>)");
	} else if (!free_bytes) {
		char *t = fmt_bytes(total_bytes);

		c = check_add(d, "hugepages", V_WARN,
			      "all %s of hugepages are in use: %s",
			      t, detail);
		check_fix(c,
			  "reserve more (sysctl vm.nr_hugepages=N) if another VM should use them");
		free(t);
	} else {
		char *t = fmt_bytes(total_bytes), *f = fmt_bytes(free_bytes);

		check_add(d, "hugepages", V_OK, "%s reserved, %s free: %s", t, f, detail);
		free(t);
		free(f);
	}
	free(detail);
}

static bool parse_limit(const char *s, bool *unlimited, unsigned long long *val)
{
	char *end;

	if (starts_with(s, "unlimited") && (!s[9] || isspace((unsigned char)s[9]))) {
		*unlimited = true;
		return true;
	}
	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	*val = strtoull(s, &end, 10);
	*unlimited = false;
	return !errno && (!*end || isspace((unsigned char)*end));
}

/* The soft "Max locked memory" limit from a limits file of procfs. */
static bool limits_file(const char *text, bool *unlimited, unsigned long long *val)
{
	const char *key = "Max locked memory", *p = text;

	while (p && *p) {
		if (starts_with(p, key)) {
			p += strlen(key);
			while (*p == ' ')
				p++;
			return parse_limit(p, unlimited, val);
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

void check_memlock(struct doctor *d)
{
	unsigned long long val = 0;
	bool unlimited = false;
	char *s, *path = NULL;
	const char *source;
	struct check *c;

	if (d->memlock_set) {
		unlimited = d->memlock_unlimited;
		val = d->memlock;
		source = "--memlock";
	} else if (d->custom_root) {
		char *text;
		bool ok;

		path = proc_path(d, "self/limits");
		text = read_text(path);
		ok = text && limits_file(text, &unlimited, &val);
		free(text);
		if (!ok) {
			check_add(d, "memlock", V_SKIP, "no Max locked memory line in %s", path);
			free(path);
			return;
		}
		source = path;
	} else {
		struct rlimit rl;

		if (getrlimit(RLIMIT_MEMLOCK, &rl))
			die("getrlimit(RLIMIT_MEMLOCK): %s", strerror(errno));
		unlimited = rl.rlim_cur == RLIM_INFINITY;
		val = rl.rlim_cur;
		source = "this process";
	}
	if (unlimited) {
		check_add(d, "memlock", V_OK, "locked memory limit is unlimited (%s)", source);
		free(path);
		return;
	}
	s = fmt_bytes(val);
	if (val < MEMLOCK_MIN) {
		c = check_add(d, "memlock", V_WARN,
			      "locked memory limit is %s (%s): VFIO charges the guest memory it pins to it, so QEMU under this limit can pin %s at most",
			      s, source, s);
		check_fix(c,
			  "raise it for the user that runs QEMU: ulimit -l unlimited, \"USER hard memlock unlimited\" in /etc/security/limits.conf, or LimitMEMLOCK=infinity in a systemd unit (libvirt raises it for its guests)");
	} else {
		check_add(d, "memlock", V_OK,
			  "locked memory limit is %s (%s): enough for VMs with up to %s of pinned memory",
			  s, source, s);
	}
	free(s);
	free(path);
}

/* --memlock BYTES|unlimited, with an optional K, M, G or T (powers of 1024) */
bool parse_memlock(const char *arg, bool *unlimited, unsigned long long *val)
{
	unsigned long long v, mult = 1;
	char *end;

	*unlimited = false;
	if (!strcmp(arg, "unlimited")) {
		*unlimited = true;
		return true;
	}
	if (!isdigit((unsigned char)arg[0]))
		return false;
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno)
		return false;
	switch (toupper((unsigned char)*end)) {
	case 'T':
		mult <<= 10;
		fallthrough;
	case 'G':
		mult <<= 10;
		fallthrough;
	case 'M':
		mult <<= 10;
		fallthrough;
	case 'K':
		mult <<= 10;
		end++;
		break;
	case '\0':
		break;
	default:
		return false;
	}
	if (*end || (v && mult > ~0ULL / v))
		return false;
	*val = v * mult;
	return true;
}
