-- Catalog schema.  Every table, view and column carries a COMMENT; docs/schema.md is generated
-- from them (`python -m etl docs`) and tests/test_schema.py fails when one is missing or stale.
-- Profile fields are nullable on purpose: NULL means "unknown", never "no".

CREATE TABLE catalog_meta (key VARCHAR PRIMARY KEY, value VARCHAR);
COMMENT ON TABLE catalog_meta IS 'Facts about this build of the catalog: built_at, schema_version, synthetic flag, row counts, seed checksum.';
COMMENT ON COLUMN catalog_meta.key IS 'Name of the fact (built_at, schema_version, synthetic, seed_sha256, ...).';
COMMENT ON COLUMN catalog_meta.value IS 'Its value as text.';

CREATE TABLE categories (code VARCHAR PRIMARY KEY, label_ja VARCHAR NOT NULL, label_en VARCHAR NOT NULL, sort_order INTEGER NOT NULL);
COMMENT ON TABLE categories IS 'Service category taxonomy (data/taxonomy/categories.csv). Codes are stable.';
COMMENT ON COLUMN categories.code IS 'Stable ASCII category code, e.g. online_forms.';
COMMENT ON COLUMN categories.label_ja IS 'Japanese label, e.g. 電子申請・オンライン手続.';
COMMENT ON COLUMN categories.label_en IS 'English label.';
COMMENT ON COLUMN categories.sort_order IS 'Display order.';

CREATE TABLE prefectures (pref_code VARCHAR PRIMARY KEY, pref_name VARCHAR NOT NULL, pref_name_en VARCHAR, name_kana VARCHAR, region VARCHAR NOT NULL, region_en VARCHAR, office_code VARCHAR, lat DOUBLE, lon DOUBLE);
COMMENT ON TABLE prefectures IS 'The 47 prefectures with the municipality of their prefectural office (where prefecture-level adopters are placed).';
COMMENT ON COLUMN prefectures.pref_code IS 'JIS X 0401 prefecture code, 01..47.';
COMMENT ON COLUMN prefectures.pref_name IS 'Name in kanji, e.g. 東京都.';
COMMENT ON COLUMN prefectures.pref_name_en IS 'Name in English, e.g. Tokyo.';
COMMENT ON COLUMN prefectures.name_kana IS 'Name in katakana.';
COMMENT ON COLUMN prefectures.region IS 'Region: 北海道, 東北, 関東, 中部, 近畿, 中国, 四国, 九州・沖縄.';
COMMENT ON COLUMN prefectures.region_en IS 'Region in English.';
COMMENT ON COLUMN prefectures.office_code IS 'Municipality code (6 digits) of the prefectural office.';
COMMENT ON COLUMN prefectures.lat IS 'Latitude of the office municipality''s representative point (WGS84).';
COMMENT ON COLUMN prefectures.lon IS 'Longitude of the office municipality''s representative point (WGS84).';

CREATE TABLE municipalities (code VARCHAR PRIMARY KEY, pref_code VARCHAR NOT NULL, pref_name VARCHAR NOT NULL, region VARCHAR NOT NULL, region_en VARCHAR, name_ja VARCHAR NOT NULL, county_ja VARCHAR, name_kana VARCHAR, name_romaji VARCHAR, kind VARCHAR NOT NULL, parent_code VARCHAR, lat DOUBLE NOT NULL, lon DOUBLE NOT NULL, point_source VARCHAR NOT NULL, population BIGINT, geonames_id BIGINT);
COMMENT ON TABLE municipalities IS 'Gazetteer: every municipality, Tokyo special ward, designated city and designated-city ward, built offline from packages (data/gazetteer/SOURCES.md).';
COMMENT ON COLUMN municipalities.code IS 'JIS X 0402 code, 6 digits including the check digit.';
COMMENT ON COLUMN municipalities.pref_code IS 'Prefecture code 01..47.';
COMMENT ON COLUMN municipalities.pref_name IS 'Prefecture name in kanji.';
COMMENT ON COLUMN municipalities.region IS 'Region in Japanese.';
COMMENT ON COLUMN municipalities.region_en IS 'Region in English.';
COMMENT ON COLUMN municipalities.name_ja IS 'Name as written after the prefecture in an address, e.g. 川崎市川崎区, 渋谷区, 東川町 (no 郡).';
COMMENT ON COLUMN municipalities.county_ja IS 'District (郡) for towns and villages, else NULL.';
COMMENT ON COLUMN municipalities.name_kana IS 'Reading in katakana.';
COMMENT ON COLUMN municipalities.name_romaji IS 'Romanised reading (lower case).';
COMMENT ON COLUMN municipalities.kind IS 'city, designated_city, ward (of a designated city), special_ward (Tokyo), town or village.';
COMMENT ON COLUMN municipalities.parent_code IS 'For designated-city wards: the code of the city.';
COMMENT ON COLUMN municipalities.lat IS 'Latitude of the representative point (WGS84).';
COMMENT ON COLUMN municipalities.lon IS 'Longitude of the representative point (WGS84).';
COMMENT ON COLUMN municipalities.point_source IS 'How the point was derived (GeoNames name match, alternate name, parent city, override, ...).';
COMMENT ON COLUMN municipalities.population IS 'Population as given by GeoNames where matched (not an official census figure); NULL when unknown.';
COMMENT ON COLUMN municipalities.geonames_id IS 'GeoNames id of the matched place, if any.';

CREATE TABLE postal_codes (postal_code VARCHAR NOT NULL, code VARCHAR NOT NULL, town_ja VARCHAR);
COMMENT ON TABLE postal_codes IS 'Postal code to municipality. A few codes map to several municipalities: one row per pair.';
COMMENT ON COLUMN postal_codes.postal_code IS '7 ASCII digits.';
COMMENT ON COLUMN postal_codes.code IS 'Municipality code (6 digits).';
COMMENT ON COLUMN postal_codes.town_ja IS 'Town area (町域) where known.';

CREATE TABLE sources (source_id INTEGER PRIMARY KEY, url VARCHAR NOT NULL UNIQUE);
COMMENT ON TABLE sources IS 'Every public source URL cited by an organisation or an adoption.';
COMMENT ON COLUMN sources.source_id IS 'Surrogate key.';
COMMENT ON COLUMN sources.url IS 'The cited URL, as found (some are mirrors or archive copies).';

CREATE TABLE organisations (org_id VARCHAR PRIMARY KEY, name_ja VARCHAR NOT NULL, name_en VARCHAR, name_kana VARCHAR, legal_form VARCHAR, corporate_number VARCHAR, org_type VARCHAR, hq_pref_code VARCHAR, hq_municipality_code VARCHAR, hq_address VARCHAR, hq_postal_code VARCHAR, lat DOUBLE, lon DOUBLE, geo_precision VARCHAR, website VARCHAR, founded_year INTEGER, description VARCHAR, last_verified VARCHAR, origin VARCHAR NOT NULL, name_key VARCHAR NOT NULL, name_en_key VARCHAR, romaji_key VARCHAR, legal_name VARCHAR, other_names VARCHAR[], contact_url VARCHAR);
COMMENT ON TABLE organisations IS 'Govtech vendors, startups, civic-tech groups and public bodies that offer services. One row per organisation.';
COMMENT ON COLUMN organisations.org_id IS 'Stable ASCII key (the seed''s vendor_key, or sub_<receipt> for approved submissions).';
COMMENT ON COLUMN organisations.name_ja IS 'Name in Japanese as the organisation uses it, legal form included.';
COMMENT ON COLUMN organisations.name_en IS 'Name in English, if any.';
COMMENT ON COLUMN organisations.name_kana IS 'Reading in katakana, if known.';
COMMENT ON COLUMN organisations.legal_form IS 'Legal form found in the name (株式会社, 一般社団法人, company, ...), NULL when none.';
COMMENT ON COLUMN organisations.corporate_number IS '法人番号 (13 digits, check digit verified), NULL when unknown.';
COMMENT ON COLUMN organisations.org_type IS 'startup, sme, large, nonprofit or public (an editorial judgement).';
COMMENT ON COLUMN organisations.hq_pref_code IS 'Prefecture code of the head office, NULL when unknown.';
COMMENT ON COLUMN organisations.hq_municipality_code IS 'Municipality code of the head office, NULL when unknown.';
COMMENT ON COLUMN organisations.hq_address IS 'Head office as stated by the source (prefecture + municipality, or a fuller address).';
COMMENT ON COLUMN organisations.hq_postal_code IS 'Postal code of the head office (7 digits), NULL when unknown.';
COMMENT ON COLUMN organisations.lat IS 'Latitude of the head office point (the municipality''s representative point), NULL when unlocated.';
COMMENT ON COLUMN organisations.lon IS 'Longitude of the head office point, NULL when unlocated.';
COMMENT ON COLUMN organisations.geo_precision IS 'How the point was found: postal_code, municipality, prefecture; NULL when unlocated.';
COMMENT ON COLUMN organisations.website IS 'Own website (http or https only).';
COMMENT ON COLUMN organisations.founded_year IS 'Year founded where found (incorporation or start of business; see description).';
COMMENT ON COLUMN organisations.description IS 'Short description written for this catalog.';
COMMENT ON COLUMN organisations.last_verified IS 'When the facts were last checked against their sources (YYYY-MM or YYYY-MM-DD).';
COMMENT ON COLUMN organisations.legal_name IS 'Legal name (商号) where a source states it; it is then also name_ja. NULL when no source gave it.';
COMMENT ON COLUMN organisations.other_names IS 'Other names the organisation is known by (former names, trade names, the name used before its legal name was sourced); searched like name_ja.';
COMMENT ON COLUMN organisations.contact_url IS 'Public contact or enquiry page (http/https), NULL when unknown.';
COMMENT ON COLUMN organisations.origin IS 'Where the row comes from: seed (shipped real data), research (data/research, researched slices), reference (a vendor of the conformant-package list, data/standardisation), submission (approved vendor submission) or synthetic (benchmarks only).';
COMMENT ON COLUMN organisations.name_key IS 'Normalised name for matching: NFKC, case and kana folded, legal form and punctuation removed.';
COMMENT ON COLUMN organisations.name_en_key IS 'Normalised English name.';
COMMENT ON COLUMN organisations.romaji_key IS 'Romaji of the kana in the Japanese name, for romaji search.';

CREATE TABLE organisation_sources (org_id VARCHAR NOT NULL, source_id INTEGER NOT NULL, PRIMARY KEY (org_id, source_id));
COMMENT ON TABLE organisation_sources IS 'Which sources support which organisation.';
COMMENT ON COLUMN organisation_sources.org_id IS 'The organisation.';
COMMENT ON COLUMN organisation_sources.source_id IS 'The source.';

CREATE TABLE services (service_id VARCHAR PRIMARY KEY, org_id VARCHAR NOT NULL, name_ja VARCHAR, name_en VARCHAR, offerings_ja VARCHAR[], offerings_en VARCHAR[], description VARCHAR, export_formats VARCHAR, open_export BOOLEAN, exit_extraction VARCHAR, exit_cost VARCHAR, has_api BOOLEAN, api_docs_url VARCHAR, open_standards VARCHAR, oss_license VARCHAR, oss_repo_url VARCHAR, developer_role VARCHAR, standard_compliant BOOLEAN, lgwan_asp BOOLEAN, ismap BOOLEAN, ismap_liu BOOLEAN, isms BOOLEAN, privacy_mark BOOLEAN, dmp_listed BOOLEAN, data_in_japan BOOLEAN, last_verified VARCHAR, is_oss BOOLEAN, price_url VARCHAR, price_band VARCHAR, contact_url VARCHAR);
COMMENT ON TABLE services IS 'What an organisation offers, with its exit / lock-in profile. NULL in a profile column means unknown, never "no".';
COMMENT ON COLUMN services.service_id IS 'Stable key (<org_id>:<n>).';
COMMENT ON COLUMN services.org_id IS 'The organisation offering it.';
COMMENT ON COLUMN services.name_ja IS 'Service or product name in Japanese, NULL when the source names none.';
COMMENT ON COLUMN services.name_en IS 'Service or product name in English.';
COMMENT ON COLUMN services.offerings_ja IS 'Short keywords in Japanese.';
COMMENT ON COLUMN services.offerings_en IS 'Short keywords in English.';
COMMENT ON COLUMN services.description IS 'Description of the service.';
COMMENT ON COLUMN services.export_formats IS 'Data export formats offered (e.g. CSV; JSON), NULL when unknown.';
COMMENT ON COLUMN services.open_export IS 'Data can be exported in an open, documented format (CSV, JSON, XML ...).';
COMMENT ON COLUMN services.exit_extraction IS 'How data is handed over at the end of the contract.';
COMMENT ON COLUMN services.exit_cost IS 'Cost of end-of-contract data extraction (free, included, charged, amount).';
COMMENT ON COLUMN services.has_api IS 'Offers an API.';
COMMENT ON COLUMN services.api_docs_url IS 'Public API documentation (http/https).';
COMMENT ON COLUMN services.open_standards IS 'Open standards supported (e.g. 自治体標準オープンデータセット, GIF, OIDC).';
COMMENT ON COLUMN services.oss_license IS 'Open-source licence (SPDX id) if the service is open source.';
COMMENT ON COLUMN services.oss_repo_url IS 'Public source repository.';
COMMENT ON COLUMN services.developer_role IS 'developer (builds it), reseller (sells another''s product) or both.';
COMMENT ON COLUMN services.standard_compliant IS 'Compliant with the national standard specifications for the 20 core municipal systems (標準準拠).';
COMMENT ON COLUMN services.lgwan_asp IS 'Offered as an LGWAN-ASP service.';
COMMENT ON COLUMN services.ismap IS 'Listed in ISMAP.';
COMMENT ON COLUMN services.ismap_liu IS 'Listed in ISMAP-LIU (low-impact use).';
COMMENT ON COLUMN services.isms IS 'Covered by ISMS (ISO/IEC 27001) certification.';
COMMENT ON COLUMN services.privacy_mark IS 'Provider holds the Privacy Mark (プライバシーマーク).';
COMMENT ON COLUMN services.dmp_listed IS 'Listed in the Digital Agency''s Digital Marketplace (DMP).';
COMMENT ON COLUMN services.data_in_japan IS 'Data is stored in Japan.';
COMMENT ON COLUMN services.last_verified IS 'When the profile was last checked (YYYY-MM or YYYY-MM-DD).';
COMMENT ON COLUMN services.is_oss IS 'The service is open-source software (a source says so), NULL when unknown.';
COMMENT ON COLUMN services.price_url IS 'Public price page (http/https), NULL when unknown.';
COMMENT ON COLUMN services.price_band IS 'Price or price band as the source states it (e.g. 月額5万円〜), NULL when unknown.';
COMMENT ON COLUMN services.contact_url IS 'Public contact page for this service, NULL when unknown.';

CREATE TABLE service_categories (service_id VARCHAR NOT NULL, category VARCHAR NOT NULL, PRIMARY KEY (service_id, category));
COMMENT ON TABLE service_categories IS 'Category codes of each service.';
COMMENT ON COLUMN service_categories.service_id IS 'The service.';
COMMENT ON COLUMN service_categories.category IS 'A category code (categories.code).';

CREATE TABLE certifications (org_id VARCHAR NOT NULL, certification VARCHAR NOT NULL, scope VARCHAR, source_id INTEGER, last_verified VARCHAR, PRIMARY KEY (org_id, certification));
COMMENT ON TABLE certifications IS 'Organisation-level certifications (ISMS, Privacy Mark, ISMAP ...) with their source. Empty when none is sourced.';
COMMENT ON COLUMN certifications.org_id IS 'The organisation.';
COMMENT ON COLUMN certifications.certification IS 'isms, privacy_mark, ismap, ismap_liu, lgwan_asp or dmp.';
COMMENT ON COLUMN certifications.scope IS 'Scope as stated (department, service).';
COMMENT ON COLUMN certifications.source_id IS 'Supporting source.';
COMMENT ON COLUMN certifications.last_verified IS 'When last checked.';

CREATE TABLE adoptions (adoption_id INTEGER PRIMARY KEY, org_id VARCHAR NOT NULL, adopter_name VARCHAR NOT NULL, adopter_kind VARCHAR NOT NULL, adopter_code VARCHAR, adopter_pref_code VARCHAR, category VARCHAR NOT NULL, service_name VARCHAR, year INTEGER, lat DOUBLE, lon DOUBLE, geo_precision VARCHAR, source_id INTEGER NOT NULL, origin VARCHAR NOT NULL, adoption_kind VARCHAR NOT NULL, source_quality VARCHAR, as_of VARCHAR, service_id VARCHAR);
COMMENT ON TABLE adoptions IS 'Adoptions (導入実績): which public body uses which organisation''s service, for which category, since when, with a source.';
COMMENT ON COLUMN adoptions.adoption_id IS 'Surrogate key.';
COMMENT ON COLUMN adoptions.org_id IS 'The vendor.';
COMMENT ON COLUMN adoptions.adopter_name IS 'The adopter as the source names it (municipality, prefecture, national body or joint group).';
COMMENT ON COLUMN adoptions.adopter_kind IS 'municipality, prefecture, national or group (joint procurement of several bodies).';
COMMENT ON COLUMN adoptions.adopter_code IS 'Municipality code of the adopter (for prefectures: the prefectural office''s municipality; national bodies: 千代田区, or the seat of a regional bureau given in data/corrections/adopters.csv).';
COMMENT ON COLUMN adoptions.adopter_pref_code IS 'Prefecture of the adopter, NULL for national bodies.';
COMMENT ON COLUMN adoptions.category IS 'Category code of the adopted service.';
COMMENT ON COLUMN adoptions.service_name IS 'Product or project as the source names it.';
COMMENT ON COLUMN adoptions.year IS 'Year of adoption where stated.';
COMMENT ON COLUMN adoptions.lat IS 'Latitude of the adopter''s point. A prefecture (and a group placed at its prefecture) is drawn 0.03° (about 3 km) off its office city, north-east and south-west, so that it never hides the city''s own adoptions.';
COMMENT ON COLUMN adoptions.lon IS 'Longitude of the adopter''s point.';
COMMENT ON COLUMN adoptions.geo_precision IS 'municipality, prefecture (placed at the prefectural office) or national (placed at 千代田区).';
COMMENT ON COLUMN adoptions.source_id IS 'The supporting source.';
COMMENT ON COLUMN adoptions.origin IS 'seed, research (data/research), submission or synthetic.';
COMMENT ON COLUMN adoptions.adoption_kind IS 'contract (導入・契約), joint_procurement (共同調達・共同利用), agreement (協定・覚書), pilot (実証・PoC・試行) or other. Market-share figures count contract and joint_procurement by default (govmap/finder/adoption_kinds.py).';
COMMENT ON COLUMN adoptions.source_quality IS 'How strong the source is: official_government, official_municipal, filing, vendor, press, aggregator, other (aggregator and other are weak).';
COMMENT ON COLUMN adoptions.as_of IS 'Date the source states (YYYY, YYYY-MM or YYYY-MM-DD), or the date it was read; NULL for seed rows without one.';
COMMENT ON COLUMN adoptions.service_id IS 'The catalog service adopted, where the source names one we list; else NULL.';


CREATE TABLE facts (fact_id INTEGER PRIMARY KEY, entity_kind VARCHAR NOT NULL, entity_id VARCHAR NOT NULL, field VARCHAR NOT NULL, value VARCHAR NOT NULL, source_id INTEGER NOT NULL, as_of VARCHAR NOT NULL, source_quality VARCHAR, origin VARCHAR NOT NULL, derived_from VARCHAR, in_use BOOLEAN NOT NULL);
COMMENT ON TABLE facts IS 'Every buyer fact about an organisation or a service with its own source and date (etl/facts.py). Where sources differ, in_use marks the one that counts; the columns of organisations, services and certifications are filled from the facts in use.';
COMMENT ON COLUMN facts.fact_id IS 'Surrogate key.';
COMMENT ON COLUMN facts.entity_kind IS 'organisation or service.';
COMMENT ON COLUMN facts.entity_id IS 'org_id or service_id.';
COMMENT ON COLUMN facts.field IS 'hq_address, hq_postal_code, corporate_number, website, contact_url, legal_name, trade_name, product_name, a flag (standard_compliant, lgwan_asp, ismap, ismap_liu, isms, privacy_mark, dmp_listed, data_in_japan, has_api, open_export, is_oss), export_formats, price_url, price_band, api_docs_url.';
COMMENT ON COLUMN facts.value IS 'The value as text; flags are true or false (false only where a source says no).';
COMMENT ON COLUMN facts.source_id IS 'The page that states it.';
COMMENT ON COLUMN facts.as_of IS 'Date the source states (YYYY, YYYY-MM or YYYY-MM-DD), or the date it was read.';
COMMENT ON COLUMN facts.source_quality IS 'official_government, official_municipal, filing, vendor, press, aggregator or other (aggregator and other are weak).';
COMMENT ON COLUMN facts.origin IS 'seed (a seed row''s first source), research (data/research), reference (the conformance list) or submission (the vendor''s approved statement).';
COMMENT ON COLUMN facts.derived_from IS 'organisation when a service fact is the organisation''s statement applied to its service (the Privacy Mark; other flags when it has one service); else NULL.';
COMMENT ON COLUMN facts.in_use IS 'The fact that counts for this entity and field (origin, then source quality, then the latest date).';

CREATE TABLE org_search_keys (org_id VARCHAR PRIMARY KEY, name_keys VARCHAR[] NOT NULL, text_key VARCHAR NOT NULL);
COMMENT ON TABLE org_search_keys IS 'Search keys of each organisation, computed once per build so the app need not normalise every name at start-up (govmap/finder/search.py index_keys; catalog_meta.search_keys_version names their version).';
COMMENT ON COLUMN org_search_keys.org_id IS 'The organisation.';
COMMENT ON COLUMN org_search_keys.name_keys IS 'Normalised name keys: Japanese, English and romaji names, other names, and the kana reading''s, deduplicated.';
COMMENT ON COLUMN org_search_keys.text_key IS 'Normalised offerings, description and product names (services and adoptions), for substring search and the relevance count; then the short Latin words of its names and acronyms of its text between control-character markers (matched only whole).';

-- 地方公共団体情報システム標準化 (the 20 core 業務): data/standardisation/, etl/standardisation.py.
CREATE TABLE gyomu (code VARCHAR PRIMARY KEY, name_ja VARCHAR NOT NULL, name_en VARCHAR NOT NULL, sort_order INTEGER NOT NULL, is_common BOOLEAN NOT NULL);
COMMENT ON TABLE gyomu IS 'The 20 core 業務 that had to move to standard-compliant (標準準拠) systems, plus 共通機能 (data/standardisation/gyomu.csv).';
COMMENT ON COLUMN gyomu.code IS 'Stable ASCII code, e.g. resident_registry (住民記録).';
COMMENT ON COLUMN gyomu.name_ja IS 'Name in Japanese as the national list writes it, e.g. 住民記録.';
COMMENT ON COLUMN gyomu.name_en IS 'Name in English.';
COMMENT ON COLUMN gyomu.sort_order IS 'Display order (the order of the national list; 共通機能 last).';
COMMENT ON COLUMN gyomu.is_common IS 'True for 共通機能 (common functions), not one of the 20 業務.';

CREATE TABLE gyomu_aliases (alias VARCHAR PRIMARY KEY, gyomu VARCHAR, sources VARCHAR[] NOT NULL);
COMMENT ON TABLE gyomu_aliases IS 'Every 業務 or function name used by a source, mapped to one gyomu code (住民基本台帳 = 住民記録, 戸籍の附票 = 戸籍附票, 就学援助 → 就学 ...). gyomu NULL: a function that is not one of the 20 業務 or 共通機能 (reported by python -m etl validate).';
COMMENT ON COLUMN gyomu_aliases.alias IS 'The name as the source writes it (NFKC-normalised).';
COMMENT ON COLUMN gyomu_aliases.gyomu IS 'The gyomu code it belongs to; NULL when it belongs to none.';
COMMENT ON COLUMN gyomu_aliases.sources IS 'Files that use this name (gyomu.csv, standard_packages.csv, municipality_progress.csv, tokutei.csv).';

CREATE TABLE std_sources (dataset VARCHAR PRIMARY KEY, title_ja VARCHAR NOT NULL, title_en VARCHAR NOT NULL, publisher VARCHAR NOT NULL, source_url VARCHAR NOT NULL, as_of VARCHAR NOT NULL, licence VARCHAR);
COMMENT ON TABLE std_sources IS 'The public datasets behind the std_* tables: title, publisher, URL, as-of date and licence (data/standardisation/sources.csv).';
COMMENT ON COLUMN std_sources.dataset IS 'packages, progress, tokutei or migration_stats.';
COMMENT ON COLUMN std_sources.title_ja IS 'Title of the dataset in Japanese.';
COMMENT ON COLUMN std_sources.title_en IS 'Title of the dataset in English.';
COMMENT ON COLUMN std_sources.publisher IS 'The government body that published the figures (cite it).';
COMMENT ON COLUMN std_sources.source_url IS 'Where the snapshot was taken from.';
COMMENT ON COLUMN std_sources.as_of IS 'Date (YYYY-MM-DD) or month (YYYY-MM) the figures describe.';
COMMENT ON COLUMN std_sources.licence IS 'Terms of use of the figures.';

CREATE TABLE std_vendors (corporate_number VARCHAR PRIMARY KEY, org_id VARCHAR NOT NULL, name_ja VARCHAR NOT NULL, former_name VARCHAR, matched_by VARCHAR NOT NULL);
COMMENT ON TABLE std_vendors IS 'Each vendor of the conformant-package list (by 法人番号) and the catalog organisation it became.';
COMMENT ON COLUMN std_vendors.corporate_number IS '法人番号 as embedded in the conformance number (13 digits, check digit verified).';
COMMENT ON COLUMN std_vendors.org_id IS 'The organisation: an existing one, or std_<法人番号> added from the list.';
COMMENT ON COLUMN std_vendors.name_ja IS 'Vendor name as listed (NFKC-normalised).';
COMMENT ON COLUMN std_vendors.former_name IS 'Former name given by the list (旧：...), if any.';
COMMENT ON COLUMN std_vendors.matched_by IS 'corporate_number or name (matched to an existing organisation) or new (added from the list).';

CREATE TABLE std_packages (entry_no INTEGER NOT NULL, org_id VARCHAR NOT NULL, vendor_name VARCHAR NOT NULL, package_name VARCHAR NOT NULL, function_name VARCHAR NOT NULL, function_code VARCHAR, gyomu VARCHAR, conformance_no VARCHAR, corporate_number VARCHAR NOT NULL, confirmed_date DATE, source_url VARCHAR NOT NULL, as_of VARCHAR NOT NULL, PRIMARY KEY (entry_no, org_id));
COMMENT ON TABLE std_packages IS 'Standard-compliant packages that passed the conformance check (適合確認), one row per listed package × function × vendor (a joint listing has one row per vendor). PARTIAL: the official list is longer; say "at least".';
COMMENT ON COLUMN std_packages.entry_no IS 'Row number in the list (data/standardisation/standard_packages.csv).';
COMMENT ON COLUMN std_packages.org_id IS 'The vendor organisation.';
COMMENT ON COLUMN std_packages.vendor_name IS 'Vendor as listed.';
COMMENT ON COLUMN std_packages.package_name IS 'Package (product) name as listed.';
COMMENT ON COLUMN std_packages.function_name IS 'Function (業務 or sub-function) as listed, e.g. 就学援助.';
COMMENT ON COLUMN std_packages.function_code IS 'Function number from the conformance number, e.g. 001 (住民基本台帳), 022-0.';
COMMENT ON COLUMN std_packages.gyomu IS 'The gyomu code the function belongs to; NULL when it belongs to none of the 20 業務 or 共通機能.';
COMMENT ON COLUMN std_packages.conformance_no IS 'Conformance number (適合確認番号); NULL when the list gives none (then not counted as conformant).';
COMMENT ON COLUMN std_packages.corporate_number IS '法人番号 of this vendor.';
COMMENT ON COLUMN std_packages.confirmed_date IS 'Date the conformance was confirmed.';
COMMENT ON COLUMN std_packages.source_url IS 'Source of the list.';
COMMENT ON COLUMN std_packages.as_of IS 'As-of date of the list (its latest confirmation).';

CREATE TABLE std_municipalities (code VARCHAR, pref_name VARCHAR NOT NULL, municipality_name VARCHAR NOT NULL, overall_rate DOUBLE NOT NULL, data_month VARCHAR NOT NULL, source_url VARCHAR NOT NULL);
COMMENT ON TABLE std_municipalities IS 'Migration progress of each of the 1,741 municipalities: share of migration steps completed over all 業務 (総務省 PMO tool figures).';
COMMENT ON COLUMN std_municipalities.code IS 'Gazetteer municipality code (6 digits); NULL when the name did not match (reported by python -m etl validate).';
COMMENT ON COLUMN std_municipalities.pref_name IS 'Prefecture as the source names it.';
COMMENT ON COLUMN std_municipalities.municipality_name IS 'Municipality as the source names it.';
COMMENT ON COLUMN std_municipalities.overall_rate IS 'Share of steps completed, 0..1.';
COMMENT ON COLUMN std_municipalities.data_month IS 'Month the figures describe (YYYY-MM).';
COMMENT ON COLUMN std_municipalities.source_url IS 'Source of the figures.';

CREATE TABLE std_progress (code VARCHAR, pref_name VARCHAR NOT NULL, municipality_name VARCHAR NOT NULL, gyomu VARCHAR, business_name VARCHAR NOT NULL, rate DOUBLE NOT NULL, data_month VARCHAR NOT NULL, source_url VARCHAR NOT NULL);
COMMENT ON TABLE std_progress IS 'Migration progress per municipality and 業務 (share of steps completed).';
COMMENT ON COLUMN std_progress.code IS 'Gazetteer municipality code; NULL when the name did not match.';
COMMENT ON COLUMN std_progress.pref_name IS 'Prefecture as the source names it.';
COMMENT ON COLUMN std_progress.municipality_name IS 'Municipality as the source names it.';
COMMENT ON COLUMN std_progress.gyomu IS 'gyomu code.';
COMMENT ON COLUMN std_progress.business_name IS '業務 as the source names it.';
COMMENT ON COLUMN std_progress.rate IS 'Share of steps completed, 0..1.';
COMMENT ON COLUMN std_progress.data_month IS 'Month the figures describe (YYYY-MM).';
COMMENT ON COLUMN std_progress.source_url IS 'Source of the figures.';

CREATE TABLE std_tokutei (code VARCHAR NOT NULL, body_name VARCHAR NOT NULL, pref_name VARCHAR NOT NULL, body_type VARCHAR NOT NULL, municipality_code VARCHAR, gyomu VARCHAR, business_name VARCHAR NOT NULL, as_of VARCHAR NOT NULL, source_url VARCHAR NOT NULL);
COMMENT ON TABLE std_tokutei IS '特定移行支援システム: bodies with systems expected not to migrate by the deadline, one row per body and 業務 (デジタル庁 list, end of December 2025).';
COMMENT ON COLUMN std_tokutei.code IS 'Body code as listed (6 digits with check digit; prefectures end in 0000 + check digit).';
COMMENT ON COLUMN std_tokutei.body_name IS 'Municipality name, or the prefecture for a prefecture.';
COMMENT ON COLUMN std_tokutei.pref_name IS 'Prefecture.';
COMMENT ON COLUMN std_tokutei.body_type IS 'As listed: 指定都市, 中核市, 一般市, 特別区, 町, 村, 都道府県.';
COMMENT ON COLUMN std_tokutei.municipality_code IS 'The gazetteer municipality code when the body is a municipality, else NULL.';
COMMENT ON COLUMN std_tokutei.gyomu IS 'gyomu code of the 業務.';
COMMENT ON COLUMN std_tokutei.business_name IS '業務 as the source names it (住民基本台帳, 戸籍の附票 ...).';
COMMENT ON COLUMN std_tokutei.as_of IS 'As-of date of the list.';
COMMENT ON COLUMN std_tokutei.source_url IS 'Source of the list.';
