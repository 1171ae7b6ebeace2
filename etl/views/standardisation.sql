-- 基幹業務・標準化 views (etl/standardisation.py fills the std_* tables).  Documented in docs/analysts.md.

CREATE VIEW v_std_packages AS
SELECT p.entry_no, p.org_id, o.name_ja AS org_name_ja, o.name_en AS org_name_en, p.vendor_name, p.package_name,
       p.function_name, p.function_code, p.gyomu, g.name_ja AS gyomu_ja, g.name_en AS gyomu_en,
       p.conformance_no, p.conformance_no IS NOT NULL AS conformant, p.corporate_number, p.confirmed_date,
       p.source_url, p.as_of
FROM std_packages p
JOIN organisations o USING (org_id)
LEFT JOIN gyomu g ON g.code = p.gyomu;
COMMENT ON VIEW v_std_packages IS 'Conformant packages with vendor and 業務 names; at least these (the official list is longer).';
COMMENT ON COLUMN v_std_packages.entry_no IS 'Row number in the list.';
COMMENT ON COLUMN v_std_packages.org_id IS 'The vendor organisation.';
COMMENT ON COLUMN v_std_packages.org_name_ja IS 'Vendor name in the catalog (Japanese).';
COMMENT ON COLUMN v_std_packages.org_name_en IS 'Vendor name in the catalog (English), if any.';
COMMENT ON COLUMN v_std_packages.vendor_name IS 'Vendor as listed.';
COMMENT ON COLUMN v_std_packages.package_name IS 'Package (product) name as listed.';
COMMENT ON COLUMN v_std_packages.function_name IS 'Function (業務 or sub-function) as listed.';
COMMENT ON COLUMN v_std_packages.function_code IS 'Function number from the conformance number.';
COMMENT ON COLUMN v_std_packages.gyomu IS 'gyomu code; NULL when the function belongs to none of the 20 業務 or 共通機能.';
COMMENT ON COLUMN v_std_packages.gyomu_ja IS '業務 name (Japanese).';
COMMENT ON COLUMN v_std_packages.gyomu_en IS '業務 name (English).';
COMMENT ON COLUMN v_std_packages.conformance_no IS 'Conformance number (適合確認番号), NULL when the list gives none.';
COMMENT ON COLUMN v_std_packages.conformant IS 'TRUE when the row has a conformance number.';
COMMENT ON COLUMN v_std_packages.corporate_number IS '法人番号 of the vendor.';
COMMENT ON COLUMN v_std_packages.confirmed_date IS 'Date the conformance was confirmed.';
COMMENT ON COLUMN v_std_packages.source_url IS 'Source of the list.';
COMMENT ON COLUMN v_std_packages.as_of IS 'As-of date of the list.';

CREATE VIEW v_std_vendor_gyomu AS
SELECT org_id, any_value(org_name_ja) AS org_name_ja, gyomu, any_value(gyomu_ja) AS gyomu_ja, any_value(gyomu_en) AS gyomu_en,
       count(DISTINCT package_name) AS n_packages, list(DISTINCT package_name ORDER BY package_name) AS packages,
       min(confirmed_date) AS first_confirmed, any_value(as_of) AS as_of
FROM v_std_packages WHERE conformant AND gyomu IS NOT NULL
GROUP BY org_id, gyomu;
COMMENT ON VIEW v_std_vendor_gyomu IS 'Vendor × 業務: which 業務 each vendor has a conformant package for (the vendors × 業務 matrix, long form).';
COMMENT ON COLUMN v_std_vendor_gyomu.org_id IS 'The vendor organisation.';
COMMENT ON COLUMN v_std_vendor_gyomu.org_name_ja IS 'Vendor name (Japanese).';
COMMENT ON COLUMN v_std_vendor_gyomu.gyomu IS 'gyomu code.';
COMMENT ON COLUMN v_std_vendor_gyomu.gyomu_ja IS '業務 name (Japanese).';
COMMENT ON COLUMN v_std_vendor_gyomu.gyomu_en IS '業務 name (English).';
COMMENT ON COLUMN v_std_vendor_gyomu.n_packages IS 'Number of distinct conformant packages of this vendor for this 業務.';
COMMENT ON COLUMN v_std_vendor_gyomu.packages IS 'Their names.';
COMMENT ON COLUMN v_std_vendor_gyomu.first_confirmed IS 'Earliest confirmation date among them.';
COMMENT ON COLUMN v_std_vendor_gyomu.as_of IS 'As-of date of the list.';

CREATE VIEW v_std_progress AS
SELECT p.code, m.name_ja AS municipality_name, m.pref_code, m.pref_name, m.kind, m.population, p.gyomu,
       g.name_ja AS gyomu_ja, g.name_en AS gyomu_en, g.sort_order, p.rate,
       EXISTS (SELECT 1 FROM std_tokutei t WHERE t.municipality_code = p.code AND t.gyomu = p.gyomu) AS tokutei,
       p.data_month, p.source_url
FROM std_progress p
JOIN gyomu g ON g.code = p.gyomu
LEFT JOIN municipalities m ON m.code = p.code;
COMMENT ON VIEW v_std_progress IS 'Migration progress per municipality and 業務, with the municipality, its prefecture and population, and whether the 業務 is on the 特定移行支援 list.';
COMMENT ON COLUMN v_std_progress.code IS 'Municipality code (NULL when the source name did not match).';
COMMENT ON COLUMN v_std_progress.municipality_name IS 'Municipality name (gazetteer).';
COMMENT ON COLUMN v_std_progress.pref_code IS 'Prefecture code.';
COMMENT ON COLUMN v_std_progress.pref_name IS 'Prefecture name.';
COMMENT ON COLUMN v_std_progress.kind IS 'city, designated_city, special_ward, town or village.';
COMMENT ON COLUMN v_std_progress.population IS 'Population as given by GeoNames (not official), NULL when unknown.';
COMMENT ON COLUMN v_std_progress.gyomu IS 'gyomu code.';
COMMENT ON COLUMN v_std_progress.gyomu_ja IS '業務 name (Japanese).';
COMMENT ON COLUMN v_std_progress.gyomu_en IS '業務 name (English).';
COMMENT ON COLUMN v_std_progress.sort_order IS 'Display order of the 業務.';
COMMENT ON COLUMN v_std_progress.rate IS 'Share of migration steps completed, 0..1.';
COMMENT ON COLUMN v_std_progress.tokutei IS 'TRUE when this municipality has this 業務 on the 特定移行支援 list.';
COMMENT ON COLUMN v_std_progress.data_month IS 'Month the figures describe.';
COMMENT ON COLUMN v_std_progress.source_url IS 'Source of the figures.';

CREATE VIEW v_std_municipalities AS
SELECT s.code, m.name_ja AS municipality_name, m.pref_code, m.pref_name, m.kind, m.population, m.lat, m.lon,
       s.overall_rate,
       (SELECT count(DISTINCT t.gyomu) FROM std_tokutei t WHERE t.municipality_code = s.code) AS n_tokutei,
       (SELECT list(DISTINCT t.gyomu ORDER BY t.gyomu) FROM std_tokutei t WHERE t.municipality_code = s.code) AS tokutei_gyomu,
       s.data_month, s.source_url
FROM std_municipalities s
LEFT JOIN municipalities m ON m.code = s.code;
COMMENT ON VIEW v_std_municipalities IS 'One row per municipality (1,741): overall migration progress and the number of its 業務 on the 特定移行支援 list.';
COMMENT ON COLUMN v_std_municipalities.code IS 'Municipality code (NULL when the source name did not match).';
COMMENT ON COLUMN v_std_municipalities.municipality_name IS 'Municipality name (gazetteer).';
COMMENT ON COLUMN v_std_municipalities.pref_code IS 'Prefecture code.';
COMMENT ON COLUMN v_std_municipalities.pref_name IS 'Prefecture name.';
COMMENT ON COLUMN v_std_municipalities.kind IS 'city, designated_city, special_ward, town or village.';
COMMENT ON COLUMN v_std_municipalities.population IS 'Population as given by GeoNames (not official), NULL when unknown.';
COMMENT ON COLUMN v_std_municipalities.lat IS 'Latitude of the representative point.';
COMMENT ON COLUMN v_std_municipalities.lon IS 'Longitude of the representative point.';
COMMENT ON COLUMN v_std_municipalities.overall_rate IS 'Share of migration steps completed over all 業務, 0..1.';
COMMENT ON COLUMN v_std_municipalities.n_tokutei IS 'Number of its 業務 on the 特定移行支援 list (0 when none).';
COMMENT ON COLUMN v_std_municipalities.tokutei_gyomu IS 'Those 業務 (gyomu codes).';
COMMENT ON COLUMN v_std_municipalities.data_month IS 'Month the progress figures describe.';
COMMENT ON COLUMN v_std_municipalities.source_url IS 'Source of the progress figures.';

CREATE VIEW v_gyomu_supply AS
SELECT g.code AS gyomu, g.name_ja AS gyomu_ja, g.name_en AS gyomu_en, g.sort_order, g.is_common,
       (SELECT count(DISTINCT org_id) FROM v_std_vendor_gyomu v WHERE v.gyomu = g.code) AS n_vendors,
       (SELECT list(DISTINCT org_name_ja ORDER BY org_name_ja) FROM v_std_vendor_gyomu v WHERE v.gyomu = g.code) AS vendors,
       (SELECT count(DISTINCT (org_id, package_name)) FROM v_std_packages p WHERE p.gyomu = g.code AND p.conformant) AS n_packages,
       (SELECT avg(rate) FROM std_progress p WHERE p.gyomu = g.code) AS avg_rate,
       (SELECT count(DISTINCT code) FROM std_tokutei t WHERE t.gyomu = g.code) AS n_tokutei_bodies
FROM gyomu g;
COMMENT ON VIEW v_gyomu_supply IS 'Per 業務: how many vendors have a conformant package (supply; 1 = single-source risk), average progress and 特定移行支援 bodies (demand).';
COMMENT ON COLUMN v_gyomu_supply.gyomu IS 'gyomu code.';
COMMENT ON COLUMN v_gyomu_supply.gyomu_ja IS '業務 name (Japanese).';
COMMENT ON COLUMN v_gyomu_supply.gyomu_en IS '業務 name (English).';
COMMENT ON COLUMN v_gyomu_supply.sort_order IS 'Display order.';
COMMENT ON COLUMN v_gyomu_supply.is_common IS 'True for 共通機能.';
COMMENT ON COLUMN v_gyomu_supply.n_vendors IS 'Vendors with at least one conformant package for it (at least: the list is partial).';
COMMENT ON COLUMN v_gyomu_supply.vendors IS 'Their names (Japanese).';
COMMENT ON COLUMN v_gyomu_supply.n_packages IS 'Distinct (vendor, package) pairs.';
COMMENT ON COLUMN v_gyomu_supply.avg_rate IS 'Average progress over the municipalities (NULL for 共通機能, which has no progress figure).';
COMMENT ON COLUMN v_gyomu_supply.n_tokutei_bodies IS 'Bodies (municipalities and prefectures) with this 業務 on the 特定移行支援 list.';
