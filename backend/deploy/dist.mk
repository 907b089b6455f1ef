# make dist: the release artefact, a Debian package build/dist/vsok_<version>_<arch>.deb
# holding the release vsokd, the built front end, the migrations and the nginx and systemd
# files (backend/deploy/dist.sh; installing it: docs/install.md). Included by the Makefile.
#
# The package's version is vsokd's: objects built at an older commit still carry that
# commit's VERSION, so the objects holding the stale string are rebuilt first.
.PHONY: dist

dist: deps-build
	@$(MAKE) --no-print-directory build/release/vsokd frontend
	@v=$$(build/release/vsokd version); \
	if [ "$$v" != "$(VERSION)" ]; then \
	    echo "dist: build/release/vsokd is $$v, the tree $(VERSION): rebuilding what embeds the version"; \
	    grep -rlF --include='*.o' -e "$$v" build/release | xargs -r rm -f; \
	    $(MAKE) --no-print-directory build/release/vsokd; \
	fi
	@backend/deploy/dist.sh
