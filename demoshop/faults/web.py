"""Faults of the web front: availability, redirects, headers, TLS, pages."""
from demoshop.faults import flag_fault, process_fault, sql_fault
from demoshop.faults.web_files import dated_dump_fault, refused_archive_fault
from demoshop.faults.web_tls import cert_fault, legacy_tls_fault
from demoshop.faults.web_versions import old_version_fault

process_fault("site_down", "the shop's web server is stopped: connections are refused", "shop")
flag_fault("db_error_page", "pages answer 200 but show 'Database connection failed' instead of the shop")
flag_fault("redirect_off", "plain HTTP serves the shop instead of redirecting to HTTPS")
sql_fault("broken_link", "the home page's banner links to a page that no longer exists (404)",
          lambda shape: "UPDATE {banners} SET {banners.link} = '/collections/festive-sale' WHERE {banners.link} = "
                        f"'{shape.path('category', slug='necklaces')}'",
          lambda shape: f"UPDATE {{banners}} SET {{banners.link}} = '{shape.path('category', slug='necklaces')}' "
                        "WHERE {banners.link} = '/collections/festive-sale'")
flag_fault("slow_pages", "every page (not static files) takes 3.5 s longer to answer")
flag_fault("assets_uncompressed", "static files and uploads are served without gzip and without Cache-Control")
sql_fault("oversized_image", "gold-hoops.jpg is a 420 KB upload and its product image has no alt text",
          "UPDATE {products} SET image_alt = '' WHERE slug = 'gold-hoops'",
          "UPDATE {products} SET image_alt = CONCAT({products.name}, ' by Dija Accessories') WHERE slug = 'gold-hoops'")
cert_fault("wrong_host_cert", "the shop serves a certificate for shop.wrong-host.example", hosts=("shop.wrong-host.example",))
cert_fault("cert_expiring", "the shop serves a certificate that expires in 5 days", days=5)
legacy_tls_fault("tls10_enabled", "the shop accepts TLS 1.0 and 1.1 handshakes (weak ciphers allowed)")
flag_fault("exposed_env", "the web root serves /.env with database credentials")
flag_fault("soft_404", "unknown paths answer 200 with the not-found page (a soft 404)")
dated_dump_fault("dated_dump_soft_404", "a database dump named by its day sits in the web root and is served, "
                                        "while unknown paths answer 200 (soft 404)")
refused_archive_fault("refused_archive", "a site archive sits in the web root's site-backups/, which the server refuses (403)")
flag_fault("headers_off", "security headers and Cache-Control are gone and X-Powered-By says PHP/7.4.3")
old_version_fault("old_version", "server/versions.json reports PHP 7.4.33 (end of life since 2022-11-28)")
flag_fault("meta_description_removed", "product pages have no meta description")
