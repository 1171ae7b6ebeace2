-- Stable views for the app and for analysts (documented in docs/schema.md and docs/analysts.md).
-- Flags aggregated over an organisation's services are TRUE when any service has it, FALSE only
-- when some service is known not to and none is known to, and NULL (unknown) otherwise.

CREATE VIEW v_organisations AS
WITH cats AS (
    SELECT s.org_id, list(DISTINCT sc.category ORDER BY sc.category) AS categories
    FROM services s JOIN service_categories sc USING (service_id)
    GROUP BY s.org_id),
prof AS (
    SELECT org_id, count(*) AS n_services,
           bool_or(has_api) AS has_api, bool_or(open_export) AS open_export,
           bool_or(CASE WHEN oss_license IS NOT NULL OR oss_repo_url IS NOT NULL THEN TRUE ELSE is_oss END) AS is_oss,
           bool_or(standard_compliant) AS standard_compliant, bool_or(lgwan_asp) AS lgwan_asp,
           bool_or(ismap OR ismap_liu) AS ismap, bool_or(isms) AS isms,
           bool_or(privacy_mark) AS privacy_mark, bool_or(dmp_listed) AS dmp_listed,
           bool_or(data_in_japan) AS data_in_japan,
           list_sort(list_distinct(flatten(list(coalesce(offerings_ja, []::VARCHAR[]))))) AS offerings_ja,
           list_sort(list_distinct(flatten(list(coalesce(offerings_en, []::VARCHAR[]))))) AS offerings_en
    FROM services
    GROUP BY org_id),
certs AS (
    SELECT org_id, list(certification ORDER BY certification) AS certs FROM certifications GROUP BY org_id),
ado AS (
    SELECT org_id, count(*) AS n_adoptions, count(DISTINCT adopter_name) AS n_adopters
    FROM adoptions GROUP BY org_id),
src AS (
    SELECT os.org_id, list(s.url ORDER BY s.url) AS source_urls
    FROM organisation_sources os JOIN sources s USING (source_id) GROUP BY os.org_id)
SELECT o.org_id, o.name_ja, o.name_en, o.name_kana, o.legal_form, o.corporate_number, o.org_type,
       o.hq_pref_code, p.pref_name AS hq_pref_name, p.region AS hq_region, p.region_en AS hq_region_en,
       o.hq_municipality_code, m.name_ja AS hq_municipality_name, o.hq_address, o.hq_postal_code,
       o.lat, o.lon, o.geo_precision, o.lat IS NOT NULL AS located,
       o.website, o.founded_year, o.description,
       coalesce(cats.categories, []::VARCHAR[]) AS categories,
       coalesce(prof.n_services, 0) AS n_services,
       coalesce(prof.offerings_ja, []::VARCHAR[]) AS offerings_ja,
       coalesce(prof.offerings_en, []::VARCHAR[]) AS offerings_en,
       prof.has_api, prof.open_export, prof.is_oss, prof.standard_compliant,
       CASE WHEN list_contains(certs.certs, 'lgwan_asp') THEN TRUE ELSE prof.lgwan_asp END AS lgwan_asp,
       CASE WHEN list_contains(certs.certs, 'ismap') OR list_contains(certs.certs, 'ismap_liu') THEN TRUE ELSE prof.ismap END AS ismap,
       CASE WHEN list_contains(certs.certs, 'isms') THEN TRUE ELSE prof.isms END AS isms,
       CASE WHEN list_contains(certs.certs, 'privacy_mark') THEN TRUE ELSE prof.privacy_mark END AS privacy_mark,
       CASE WHEN list_contains(certs.certs, 'dmp') THEN TRUE ELSE prof.dmp_listed END AS dmp_listed,
       prof.data_in_japan,
       coalesce(ado.n_adoptions, 0) AS n_adoptions, coalesce(ado.n_adopters, 0) AS n_adopters,
       coalesce(src.source_urls, []::VARCHAR[]) AS source_urls,
       o.last_verified, o.origin, o.legal_name, coalesce(o.other_names, []::VARCHAR[]) AS other_names, o.contact_url
FROM organisations o
LEFT JOIN prefectures p ON p.pref_code = o.hq_pref_code
LEFT JOIN municipalities m ON m.code = o.hq_municipality_code
LEFT JOIN cats USING (org_id) LEFT JOIN prof USING (org_id) LEFT JOIN certs USING (org_id)
LEFT JOIN ado USING (org_id) LEFT JOIN src USING (org_id);
COMMENT ON VIEW v_organisations IS 'One row per organisation with its head office point, region, categories, aggregated openness flags (NULL = unknown), adoption counts and sources.';
COMMENT ON COLUMN v_organisations.org_id IS 'Stable ASCII key (the seed''s vendor_key, or sub_<receipt> for approved submissions).';
COMMENT ON COLUMN v_organisations.name_ja IS 'Name in Japanese as the organisation uses it, legal form included.';
COMMENT ON COLUMN v_organisations.name_en IS 'Name in English, if any.';
COMMENT ON COLUMN v_organisations.name_kana IS 'Reading in katakana, if known.';
COMMENT ON COLUMN v_organisations.legal_form IS 'Legal form found in the name (株式会社, 一般社団法人, company, ...), NULL when none.';
COMMENT ON COLUMN v_organisations.corporate_number IS '法人番号 (13 digits, check digit verified), NULL when unknown.';
COMMENT ON COLUMN v_organisations.org_type IS 'startup, sme, large, nonprofit or public (an editorial judgement).';
COMMENT ON COLUMN v_organisations.hq_pref_code IS 'Prefecture code of the head office, NULL when unknown.';
COMMENT ON COLUMN v_organisations.hq_pref_name IS 'Prefecture of the head office.';
COMMENT ON COLUMN v_organisations.hq_region IS 'Region of the head office (Japanese).';
COMMENT ON COLUMN v_organisations.hq_region_en IS 'Region of the head office (English).';
COMMENT ON COLUMN v_organisations.hq_municipality_code IS 'Municipality code of the head office, NULL when unknown.';
COMMENT ON COLUMN v_organisations.hq_municipality_name IS 'Municipality of the head office.';
COMMENT ON COLUMN v_organisations.hq_address IS 'Head office as stated by the source (prefecture + municipality, or a fuller address).';
COMMENT ON COLUMN v_organisations.hq_postal_code IS 'Postal code of the head office (7 digits), NULL when unknown.';
COMMENT ON COLUMN v_organisations.lat IS 'Latitude of the head office point (the municipality''s representative point), NULL when unlocated.';
COMMENT ON COLUMN v_organisations.lon IS 'Longitude of the head office point, NULL when unlocated.';
COMMENT ON COLUMN v_organisations.geo_precision IS 'How the point was found: postal_code, municipality, prefecture; NULL when unlocated.';
COMMENT ON COLUMN v_organisations.located IS 'TRUE when the organisation has a head-office point on the map.';
COMMENT ON COLUMN v_organisations.website IS 'Own website (http or https only).';
COMMENT ON COLUMN v_organisations.founded_year IS 'Year founded where found (incorporation or start of business; see description).';
COMMENT ON COLUMN v_organisations.description IS 'Short description written for this catalog.';
COMMENT ON COLUMN v_organisations.categories IS 'Category codes (sorted list).';
COMMENT ON COLUMN v_organisations.n_services IS 'Number of services.';
COMMENT ON COLUMN v_organisations.offerings_ja IS 'Offering keywords of all its services (Japanese).';
COMMENT ON COLUMN v_organisations.offerings_en IS 'Offering keywords of all its services (English).';
COMMENT ON COLUMN v_organisations.has_api IS 'Any service offers an API: TRUE when known yes, FALSE when only known no, NULL when unknown.';
COMMENT ON COLUMN v_organisations.open_export IS 'Any service exports data in an open, documented format: TRUE when known yes, FALSE when only known no, NULL when unknown.';
COMMENT ON COLUMN v_organisations.is_oss IS 'TRUE when any service names an open-source licence or repository; NULL when unknown.';
COMMENT ON COLUMN v_organisations.standard_compliant IS 'Any service is 標準準拠 (national standard for the 20 core systems): TRUE when known yes, FALSE when only known no, NULL when unknown.';
COMMENT ON COLUMN v_organisations.lgwan_asp IS 'Any service (or the organisation, by its own sourced statement) is offered as LGWAN-ASP: TRUE when known yes, FALSE when only known no, NULL when unknown.';
COMMENT ON COLUMN v_organisations.ismap IS 'ISMAP or ISMAP-LIU listed (a service or the organisation): TRUE when known yes, FALSE when only known no, NULL when unknown.';
COMMENT ON COLUMN v_organisations.isms IS 'ISMS (ISO/IEC 27001) certified (a service or the organisation): TRUE when known yes, FALSE when only known no, NULL when unknown.';
COMMENT ON COLUMN v_organisations.privacy_mark IS 'Holds the Privacy Mark: TRUE when known yes, FALSE when only known no, NULL when unknown.';
COMMENT ON COLUMN v_organisations.dmp_listed IS 'Listed in the Digital Agency DMP (a service or the organisation): TRUE when known yes, FALSE when only known no, NULL when unknown.';
COMMENT ON COLUMN v_organisations.data_in_japan IS 'Any service stores data in Japan: TRUE when known yes, FALSE when only known no, NULL when unknown.';
COMMENT ON COLUMN v_organisations.n_adoptions IS 'Number of adoptions.';
COMMENT ON COLUMN v_organisations.n_adopters IS 'Number of distinct adopters.';
COMMENT ON COLUMN v_organisations.source_urls IS 'Source URLs supporting the organisation.';
COMMENT ON COLUMN v_organisations.last_verified IS 'When the facts were last checked against their sources (YYYY-MM or YYYY-MM-DD).';
COMMENT ON COLUMN v_organisations.legal_name IS 'Legal name (商号) where a source states it, else NULL.';
COMMENT ON COLUMN v_organisations.other_names IS 'Former, trade and earlier-used names (searched like the name).';
COMMENT ON COLUMN v_organisations.contact_url IS 'Public contact page, NULL when unknown.';
COMMENT ON COLUMN v_organisations.origin IS 'Where the row comes from: seed (shipped real data), research (data/research), reference (a vendor of the conformant-package list, data/standardisation), submission (approved vendor submission) or synthetic (benchmarks only).';

CREATE VIEW v_services AS
SELECT s.*, o.name_ja AS org_name_ja, o.name_en AS org_name_en,
       (SELECT list(category ORDER BY category) FROM service_categories sc WHERE sc.service_id = s.service_id) AS categories
FROM services s JOIN organisations o USING (org_id);
COMMENT ON VIEW v_services IS 'One row per service with its organisation''s names, category list and exit / lock-in profile.';
COMMENT ON COLUMN v_services.service_id IS 'Stable key (<org_id>:<n>).';
COMMENT ON COLUMN v_services.org_id IS 'The organisation offering it.';
COMMENT ON COLUMN v_services.name_ja IS 'Service or product name in Japanese, NULL when the source names none.';
COMMENT ON COLUMN v_services.name_en IS 'Service or product name in English.';
COMMENT ON COLUMN v_services.offerings_ja IS 'Short keywords in Japanese.';
COMMENT ON COLUMN v_services.offerings_en IS 'Short keywords in English.';
COMMENT ON COLUMN v_services.description IS 'Description of the service.';
COMMENT ON COLUMN v_services.export_formats IS 'Data export formats offered (e.g. CSV; JSON), NULL when unknown.';
COMMENT ON COLUMN v_services.open_export IS 'Data can be exported in an open, documented format (CSV, JSON, XML ...).';
COMMENT ON COLUMN v_services.exit_extraction IS 'How data is handed over at the end of the contract.';
COMMENT ON COLUMN v_services.exit_cost IS 'Cost of end-of-contract data extraction (free, included, charged, amount).';
COMMENT ON COLUMN v_services.has_api IS 'Offers an API.';
COMMENT ON COLUMN v_services.api_docs_url IS 'Public API documentation (http/https).';
COMMENT ON COLUMN v_services.open_standards IS 'Open standards supported (e.g. 自治体標準オープンデータセット, GIF, OIDC).';
COMMENT ON COLUMN v_services.oss_license IS 'Open-source licence (SPDX id) if the service is open source.';
COMMENT ON COLUMN v_services.oss_repo_url IS 'Public source repository.';
COMMENT ON COLUMN v_services.developer_role IS 'developer (builds it), reseller (sells another''s product) or both.';
COMMENT ON COLUMN v_services.standard_compliant IS 'Compliant with the national standard specifications for the 20 core municipal systems (標準準拠).';
COMMENT ON COLUMN v_services.lgwan_asp IS 'Offered as an LGWAN-ASP service.';
COMMENT ON COLUMN v_services.ismap IS 'Listed in ISMAP.';
COMMENT ON COLUMN v_services.ismap_liu IS 'Listed in ISMAP-LIU (low-impact use).';
COMMENT ON COLUMN v_services.isms IS 'Covered by ISMS (ISO/IEC 27001) certification.';
COMMENT ON COLUMN v_services.privacy_mark IS 'Provider holds the Privacy Mark (プライバシーマーク).';
COMMENT ON COLUMN v_services.dmp_listed IS 'Listed in the Digital Agency''s Digital Marketplace (DMP).';
COMMENT ON COLUMN v_services.data_in_japan IS 'Data is stored in Japan.';
COMMENT ON COLUMN v_services.last_verified IS 'When the profile was last checked (YYYY-MM or YYYY-MM-DD).';
COMMENT ON COLUMN v_services.is_oss IS 'The service is open-source software (a source says so), NULL when unknown.';
COMMENT ON COLUMN v_services.price_url IS 'Public price page (http/https), NULL when unknown.';
COMMENT ON COLUMN v_services.price_band IS 'Price or price band as the source states it, NULL when unknown.';
COMMENT ON COLUMN v_services.contact_url IS 'Public contact page for this service, NULL when unknown.';
COMMENT ON COLUMN v_services.org_name_ja IS 'Vendor name in Japanese.';
COMMENT ON COLUMN v_services.org_name_en IS 'Vendor name in English.';
COMMENT ON COLUMN v_services.categories IS 'Category codes (sorted list).';

CREATE VIEW v_adoptions AS
SELECT a.adoption_id, a.org_id, o.name_ja AS org_name_ja, o.name_en AS org_name_en, o.org_type,
       a.adopter_name, a.adopter_kind, a.adopter_code, m.name_ja AS adopter_municipality_name,
       a.adopter_pref_code, p.pref_name AS adopter_pref_name, p.region AS adopter_region,
       a.category, c.label_ja AS category_label_ja, c.label_en AS category_label_en,
       a.service_name, a.year, a.lat, a.lon, a.geo_precision, s.url AS source_url, a.origin,
       a.adoption_kind, a.source_quality, a.as_of, a.service_id
FROM adoptions a
JOIN organisations o USING (org_id)
JOIN categories c ON c.code = a.category
JOIN sources s USING (source_id)
LEFT JOIN municipalities m ON m.code = a.adopter_code
LEFT JOIN prefectures p ON p.pref_code = a.adopter_pref_code;
COMMENT ON VIEW v_adoptions IS 'One row per adoption with vendor names, the adopter''s point, prefecture and region, category labels and the source URL.';
COMMENT ON COLUMN v_adoptions.adoption_id IS 'Surrogate key.';
COMMENT ON COLUMN v_adoptions.org_id IS 'The vendor.';
COMMENT ON COLUMN v_adoptions.org_name_ja IS 'Vendor name in Japanese.';
COMMENT ON COLUMN v_adoptions.org_name_en IS 'Vendor name in English.';
COMMENT ON COLUMN v_adoptions.org_type IS 'startup, sme, large, nonprofit or public (an editorial judgement).';
COMMENT ON COLUMN v_adoptions.adopter_name IS 'The adopter as the source names it (municipality, prefecture, national body or joint group).';
COMMENT ON COLUMN v_adoptions.adopter_kind IS 'municipality, prefecture, national or group (joint procurement of several bodies).';
COMMENT ON COLUMN v_adoptions.adopter_code IS 'Municipality code of the adopter (for prefectures: the prefectural office''s municipality; national bodies: 千代田区, or the seat of a regional bureau given in data/corrections/adopters.csv).';
COMMENT ON COLUMN v_adoptions.adopter_municipality_name IS 'Name of the municipality where the adopter is placed.';
COMMENT ON COLUMN v_adoptions.adopter_pref_code IS 'Prefecture of the adopter, NULL for national bodies.';
COMMENT ON COLUMN v_adoptions.adopter_pref_name IS 'Prefecture of the adopter.';
COMMENT ON COLUMN v_adoptions.adopter_region IS 'Region of the adopter.';
COMMENT ON COLUMN v_adoptions.category IS 'Category code of the adopted service.';
COMMENT ON COLUMN v_adoptions.category_label_ja IS 'Category label (Japanese).';
COMMENT ON COLUMN v_adoptions.category_label_en IS 'Category label (English).';
COMMENT ON COLUMN v_adoptions.service_name IS 'Product or project as the source names it.';
COMMENT ON COLUMN v_adoptions.year IS 'Year of adoption where stated.';
COMMENT ON COLUMN v_adoptions.lat IS 'Latitude of the adopter''s point.';
COMMENT ON COLUMN v_adoptions.lon IS 'Longitude of the adopter''s point.';
COMMENT ON COLUMN v_adoptions.geo_precision IS 'municipality, prefecture (placed at the prefectural office) or national (placed at 千代田区).';
COMMENT ON COLUMN v_adoptions.source_url IS 'Supporting source URL.';
COMMENT ON COLUMN v_adoptions.origin IS 'seed, research (data/research), submission or synthetic.';
COMMENT ON COLUMN v_adoptions.adoption_kind IS 'contract, joint_procurement, agreement (協定・覚書), pilot (実証・PoC) or other; market share counts contract and joint_procurement.';
COMMENT ON COLUMN v_adoptions.source_quality IS 'official_government, official_municipal, filing, vendor, press, aggregator or other (the last two are weak).';
COMMENT ON COLUMN v_adoptions.as_of IS 'Date the source states or the date it was read; NULL when unknown.';
COMMENT ON COLUMN v_adoptions.service_id IS 'The catalog service adopted, where known.';

CREATE VIEW v_adopter_points AS
SELECT adopter_name, adopter_kind, adopter_code, adopter_pref_name, lat, lon, geo_precision,
       count(*) AS n_adoptions, count(DISTINCT org_id) AS n_vendors,
       list(DISTINCT org_name_ja ORDER BY org_name_ja) AS vendors,
       list(DISTINCT category ORDER BY category) AS categories
FROM v_adoptions WHERE lat IS NOT NULL
GROUP BY ALL;
COMMENT ON VIEW v_adopter_points IS 'Adoptions aggregated per adopter and point, for the adoption map layer.';
COMMENT ON COLUMN v_adopter_points.adopter_name IS 'The adopter as the source names it (municipality, prefecture, national body or joint group).';
COMMENT ON COLUMN v_adopter_points.adopter_kind IS 'municipality, prefecture, national or group (joint procurement of several bodies).';
COMMENT ON COLUMN v_adopter_points.adopter_code IS 'Municipality code of the adopter (for prefectures: the prefectural office''s municipality; national bodies: 千代田区, or the seat of a regional bureau given in data/corrections/adopters.csv).';
COMMENT ON COLUMN v_adopter_points.adopter_pref_name IS 'Prefecture of the adopter.';
COMMENT ON COLUMN v_adopter_points.lat IS 'Latitude of the adopter''s point.';
COMMENT ON COLUMN v_adopter_points.lon IS 'Longitude of the adopter''s point.';
COMMENT ON COLUMN v_adopter_points.geo_precision IS 'municipality, prefecture (placed at the prefectural office) or national (placed at 千代田区).';
COMMENT ON COLUMN v_adopter_points.n_adoptions IS 'Number of adoptions.';
COMMENT ON COLUMN v_adopter_points.n_vendors IS 'Number of distinct vendors.';
COMMENT ON COLUMN v_adopter_points.vendors IS 'Vendor names (Japanese).';
COMMENT ON COLUMN v_adopter_points.categories IS 'Category codes (sorted list).';

CREATE VIEW v_fact_sources AS
SELECT f.entity_kind, f.entity_id, f.field, f.value, s.url AS source_url, f.as_of, f.source_quality, f.origin, f.derived_from
FROM facts f JOIN sources s USING (source_id)
WHERE f.in_use;
COMMENT ON VIEW v_fact_sources IS 'Each buyer fact in use (head office, 法人番号, names, flags, export formats, price and contact pages) with its own source URL and date. Every known flag of services and every certification has a row here.';
COMMENT ON COLUMN v_fact_sources.entity_kind IS 'organisation or service.';
COMMENT ON COLUMN v_fact_sources.entity_id IS 'org_id or service_id.';
COMMENT ON COLUMN v_fact_sources.field IS 'The fact (facts.field).';
COMMENT ON COLUMN v_fact_sources.value IS 'Its value as text (flags: true or false).';
COMMENT ON COLUMN v_fact_sources.source_url IS 'The page that states it.';
COMMENT ON COLUMN v_fact_sources.as_of IS 'Date the page states, or the date it was read.';
COMMENT ON COLUMN v_fact_sources.source_quality IS 'official_government, official_municipal, filing, vendor, press, aggregator or other.';
COMMENT ON COLUMN v_fact_sources.origin IS 'seed, research, reference (conformance list) or submission.';
COMMENT ON COLUMN v_fact_sources.derived_from IS 'organisation when the organisation''s statement is applied to its service; else NULL.';
