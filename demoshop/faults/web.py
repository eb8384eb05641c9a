"""Faults of the web front: availability, redirects, headers, TLS, pages."""

from demoshop.faults import flags
from demoshop.faults.kinds import flag_fault, process_fault, sql_fault
from demoshop.faults.web_files import dated_dump_fault, refused_archive_fault
from demoshop.faults.web_tls import cert_fault, legacy_tls_fault
from demoshop.faults.web_versions import old_version_fault

FAULTS = [
    process_fault("site_down", "the shop's web server is stopped: connections are refused", "shop"),
    flag_fault(flags.DB_ERROR_PAGE, "pages answer 200 but show 'Database connection failed' instead of the shop"),
    flag_fault(flags.REDIRECT_OFF, "plain HTTP serves the shop instead of redirecting to HTTPS"),
    sql_fault(
        "broken_link",
        "the home page's banner links to a page that no longer exists (404)",
        lambda shape: (
            "UPDATE {banners} SET {banners.link} = '/collections/festive-sale' WHERE {banners.link} = "
            f"'{shape.path('category', slug='necklaces')}'"
        ),
        lambda shape: (
            f"UPDATE {{banners}} SET {{banners.link}} = '{shape.path('category', slug='necklaces')}' "
            "WHERE {banners.link} = '/collections/festive-sale'"
        ),
    ),
    flag_fault(flags.SLOW_PAGES, "every page (not static files) takes 3.5 s longer to answer"),
    flag_fault(flags.ASSETS_UNCOMPRESSED, "static files and uploads are served without gzip and without Cache-Control"),
    sql_fault(
        flags.OVERSIZED_IMAGE,
        "gold-hoops.jpg is a 420 KB upload and its product image has no alt text",
        "UPDATE {products} SET image_alt = '' WHERE slug = 'gold-hoops'",
        "UPDATE {products} SET image_alt = CONCAT({products.name}, ' by Dija Accessories') WHERE slug = 'gold-hoops'",
    ),
    cert_fault(
        "wrong_host_cert",
        "the shop serves a certificate for shop.wrong-host.example",
        hosts=("shop.wrong-host.example",),
    ),
    cert_fault("cert_expiring", "the shop serves a certificate that expires in 5 days", days=5),
    legacy_tls_fault(flags.TLS10_ENABLED, "the shop accepts TLS 1.0 and 1.1 handshakes (weak ciphers allowed)"),
    flag_fault(flags.EXPOSED_ENV, "the web root serves /.env with database credentials"),
    flag_fault(flags.SOFT_404, "unknown paths answer 200 with the not-found page (a soft 404)"),
    dated_dump_fault(
        flags.DATED_DUMP_SOFT_404,
        "a database dump named by its day sits in the web root and is served, "
        "while unknown paths answer 200 (soft 404)",
    ),
    refused_archive_fault(
        "refused_archive", "a site archive sits in the web root's site-backups/, which the server refuses (403)"
    ),
    flag_fault(flags.HEADERS_OFF, "security headers and Cache-Control are gone and X-Powered-By says PHP/7.4.3"),
    old_version_fault("old_version", "server/versions.json reports PHP 7.4.33 (end of life since 2022-11-28)"),
    flag_fault(flags.META_DESCRIPTION_REMOVED, "product pages have no meta description"),
]
