-- Lock-in and market analytics views (docs/analytics.md).  Loaded after etl/views.sql.
--
-- Concentration is measured over *recorded* adoptions (each with a public source), not over the
-- whole market: a prefecture with two recorded adoptions by one vendor is "single-vendor" in the
-- catalog, which is a lead for a buyer to check, not a market statistic.
--
-- Areas: national (every adoption, national bodies included), region and prefecture (the
-- adopter's prefecture; national bodies have none, so they count nationally only).  Joint
-- procurement groups (協議会) count once, in their prefecture.
--
-- Kinds (govmap/finder/adoption_kinds.py): market shares count contracts and joint procurements only
-- (v_vendor_shares, v_concentration); an agreement (協定・覚書), a pilot (実証) or another kind is
-- not a sale, and counting it would credit a vendor with a market it has not won.  The *_all_kinds
-- views count every kind.  Both are made by the same table macros, vendor_shares(kinds) and
-- concentration(kinds) (kinds: a list of adoption kinds, NULL for every kind), which analysts can
-- also call with their own list, e.g. FROM concentration(['pilot']).

CREATE MACRO vendor_shares(kinds) AS TABLE
WITH placed AS (
    SELECT a.org_id, a.category, a.adopter_pref_code, p.pref_name, p.region
    FROM adoptions a LEFT JOIN prefectures p ON p.pref_code = a.adopter_pref_code
    WHERE kinds IS NULL OR list_contains(kinds, a.adoption_kind)),
scoped AS (
    SELECT 'national' AS scope, 'JP' AS area_code, '全国' AS area, org_id, category FROM placed
    UNION ALL
    SELECT 'region', region, region, org_id, category FROM placed WHERE region IS NOT NULL
    UNION ALL
    SELECT 'prefecture', adopter_pref_code, pref_name, org_id, category FROM placed WHERE pref_name IS NOT NULL),
counted AS (
    SELECT scope, area_code, area, category, org_id, count(*) AS n_adoptions FROM scoped GROUP BY ALL)
SELECT c.scope, c.area_code, c.area, c.category, c.org_id, o.name_ja AS org_name_ja, c.n_adoptions,
       c.n_adoptions / sum(c.n_adoptions) OVER area_cat AS share,
       row_number() OVER (PARTITION BY c.scope, c.area_code, c.category
                          ORDER BY c.n_adoptions DESC, c.org_id) AS rank
FROM counted c JOIN organisations o USING (org_id)
WINDOW area_cat AS (PARTITION BY c.scope, c.area_code, c.category);
CREATE VIEW v_vendor_shares AS FROM vendor_shares(['contract', 'joint_procurement']);
CREATE VIEW v_vendor_shares_all_kinds AS FROM vendor_shares(NULL);
COMMENT ON VIEW v_vendor_shares IS 'Each vendor''s share of the recorded contracts and joint procurements (adoption_kind contract or joint_procurement) of a category in an area (national, region, prefecture). Rank 1 is the leader; ties go to the smaller org_id. v_vendor_shares_all_kinds counts every kind.';
COMMENT ON COLUMN v_vendor_shares.scope IS 'national, region or prefecture.';
COMMENT ON COLUMN v_vendor_shares.area_code IS 'JP for national, the region name for a region, the prefecture code (01..47) for a prefecture.';
COMMENT ON COLUMN v_vendor_shares.area IS 'Area name: 全国, the region (e.g. 関東) or the prefecture (e.g. 徳島県).';
COMMENT ON COLUMN v_vendor_shares.category IS 'Category code of the adoptions.';
COMMENT ON COLUMN v_vendor_shares.org_id IS 'The vendor.';
COMMENT ON COLUMN v_vendor_shares.org_name_ja IS 'Vendor name in Japanese.';
COMMENT ON COLUMN v_vendor_shares.n_adoptions IS 'Recorded adoptions of this vendor in this category and area.';
COMMENT ON COLUMN v_vendor_shares.share IS 'n_adoptions divided by all recorded adoptions of the category in the area (0..1).';
COMMENT ON COLUMN v_vendor_shares.rank IS '1 = leader: most adoptions, ties broken by org_id ascending (deterministic).';
COMMENT ON VIEW v_vendor_shares_all_kinds IS 'As v_vendor_shares, counting every kind of adoption (agreements, pilots and other kinds too).';
COMMENT ON COLUMN v_vendor_shares_all_kinds.scope IS 'national, region or prefecture.';
COMMENT ON COLUMN v_vendor_shares_all_kinds.area_code IS 'JP for national, the region name for a region, the prefecture code (01..47) for a prefecture.';
COMMENT ON COLUMN v_vendor_shares_all_kinds.area IS 'Area name: 全国, the region (e.g. 関東) or the prefecture (e.g. 徳島県).';
COMMENT ON COLUMN v_vendor_shares_all_kinds.category IS 'Category code of the adoptions.';
COMMENT ON COLUMN v_vendor_shares_all_kinds.org_id IS 'The vendor.';
COMMENT ON COLUMN v_vendor_shares_all_kinds.org_name_ja IS 'Vendor name in Japanese.';
COMMENT ON COLUMN v_vendor_shares_all_kinds.n_adoptions IS 'Recorded adoptions of this vendor in this category and area.';
COMMENT ON COLUMN v_vendor_shares_all_kinds.share IS 'n_adoptions divided by all recorded adoptions of the category in the area (0..1).';
COMMENT ON COLUMN v_vendor_shares_all_kinds.rank IS '1 = leader: most adoptions, ties broken by org_id ascending (deterministic).';

CREATE MACRO concentration(kinds) AS TABLE
WITH areas AS (
    SELECT 'national' AS scope, 'JP' AS area_code, '全国' AS area, 0 AS scope_order, '00' AS area_order
    UNION ALL
    SELECT DISTINCT 'region', region, region, 1, min(pref_code) OVER (PARTITION BY region) FROM prefectures
    UNION ALL
    SELECT 'prefecture', pref_code, pref_name, 2, pref_code FROM prefectures),
totals AS (
    SELECT scope, area_code, category, sum(n_adoptions)::BIGINT AS n_adoptions, count(*) AS n_vendors,
           sum(share * share) * 10000 AS hhi
    FROM vendor_shares(kinds) GROUP BY ALL)
SELECT a.scope, a.area_code, a.area, c.code AS category,
       coalesce(t.n_adoptions, 0) AS n_adoptions, coalesce(t.n_vendors, 0) AS n_vendors, t.hhi,
       l.org_id AS leader_org_id, l.org_name_ja AS leader_name_ja, l.share AS leader_share,
       coalesce(t.n_vendors = 1, FALSE) AS single_vendor
FROM areas a CROSS JOIN categories c
LEFT JOIN totals t ON t.scope = a.scope AND t.area_code = a.area_code AND t.category = c.code
LEFT JOIN vendor_shares(kinds) l ON l.scope = a.scope AND l.area_code = a.area_code AND l.category = c.code AND l.rank = 1
ORDER BY a.scope_order, a.area_order, c.sort_order;
CREATE VIEW v_concentration AS FROM concentration(['contract', 'joint_procurement']);
CREATE VIEW v_concentration_all_kinds AS FROM concentration(NULL);
COMMENT ON VIEW v_concentration IS 'Vendor concentration of recorded contracts and joint procurements (adoption_kind contract or joint_procurement) per category, nationally, per region and per prefecture: distinct vendors, Herfindahl-Hirschman index, leader and its share. One row per area and category, empty ones included (n_adoptions = 0, hhi NULL). v_concentration_all_kinds counts every kind.';
COMMENT ON COLUMN v_concentration.scope IS 'national, region or prefecture.';
COMMENT ON COLUMN v_concentration.area_code IS 'JP for national, the region name for a region, the prefecture code (01..47) for a prefecture.';
COMMENT ON COLUMN v_concentration.area IS 'Area name: 全国, the region (e.g. 関東) or the prefecture (e.g. 徳島県).';
COMMENT ON COLUMN v_concentration.category IS 'Category code.';
COMMENT ON COLUMN v_concentration.n_adoptions IS 'Recorded adoptions of the category in the area (national bodies count only nationally).';
COMMENT ON COLUMN v_concentration.n_vendors IS 'Distinct vendors among those adoptions.';
COMMENT ON COLUMN v_concentration.hhi IS 'Herfindahl-Hirschman index: sum of squared vendor shares x 10,000 (10,000 = one vendor); NULL when no adoption is recorded.';
COMMENT ON COLUMN v_concentration.leader_org_id IS 'Vendor with the most adoptions (ties: smallest org_id); NULL when none.';
COMMENT ON COLUMN v_concentration.leader_name_ja IS 'Name of the leading vendor (Japanese).';
COMMENT ON COLUMN v_concentration.leader_share IS 'Leader''s share of the adoptions (0..1); NULL when none.';
COMMENT ON COLUMN v_concentration.single_vendor IS 'TRUE when every recorded adoption goes to one vendor; FALSE otherwise, including when none is recorded.';
COMMENT ON VIEW v_concentration_all_kinds IS 'As v_concentration, counting every kind of adoption (agreements, pilots and other kinds too).';
COMMENT ON COLUMN v_concentration_all_kinds.scope IS 'national, region or prefecture.';
COMMENT ON COLUMN v_concentration_all_kinds.area_code IS 'JP for national, the region name for a region, the prefecture code (01..47) for a prefecture.';
COMMENT ON COLUMN v_concentration_all_kinds.area IS 'Area name: 全国, the region (e.g. 関東) or the prefecture (e.g. 徳島県).';
COMMENT ON COLUMN v_concentration_all_kinds.category IS 'Category code.';
COMMENT ON COLUMN v_concentration_all_kinds.n_adoptions IS 'Recorded adoptions of the category in the area (national bodies count only nationally).';
COMMENT ON COLUMN v_concentration_all_kinds.n_vendors IS 'Distinct vendors among those adoptions.';
COMMENT ON COLUMN v_concentration_all_kinds.hhi IS 'Herfindahl-Hirschman index: sum of squared vendor shares x 10,000 (10,000 = one vendor); NULL when no adoption is recorded.';
COMMENT ON COLUMN v_concentration_all_kinds.leader_org_id IS 'Vendor with the most adoptions (ties: smallest org_id); NULL when none.';
COMMENT ON COLUMN v_concentration_all_kinds.leader_name_ja IS 'Name of the leading vendor (Japanese).';
COMMENT ON COLUMN v_concentration_all_kinds.leader_share IS 'Leader''s share of the adoptions (0..1); NULL when none.';
COMMENT ON COLUMN v_concentration_all_kinds.single_vendor IS 'TRUE when every recorded adoption goes to one vendor; FALSE otherwise, including when none is recorded.';

CREATE VIEW v_category_coverage AS
WITH offers AS (
    SELECT DISTINCT s.org_id, sc.category, o.hq_pref_code, p.region
    FROM services s JOIN service_categories sc USING (service_id)
    JOIN organisations o USING (org_id)
    LEFT JOIN prefectures p ON p.pref_code = o.hq_pref_code),
counted AS (
    SELECT p.pref_code, c.code AS category,
           count(f.org_id) FILTER (WHERE f.hq_pref_code = p.pref_code) AS vendors_in_pref,
           count(f.org_id) FILTER (WHERE f.region = p.region) AS vendors_in_region,
           count(f.org_id) AS vendors_nationally,
           count(f.org_id) FILTER (WHERE f.hq_pref_code IS NULL) AS vendors_hq_unknown
    FROM prefectures p CROSS JOIN categories c LEFT JOIN offers f ON f.category = c.code
    GROUP BY ALL)
SELECT p.pref_code, p.pref_name, p.region, k.category, k.vendors_in_pref, k.vendors_in_region,
       k.vendors_nationally, k.vendors_hq_unknown,
       k.vendors_in_pref = 0 AS gap_in_pref, k.vendors_in_region = 0 AS gap_in_region
FROM counted k JOIN prefectures p USING (pref_code) JOIN categories c ON c.code = k.category
ORDER BY p.pref_code, c.sort_order;
COMMENT ON VIEW v_category_coverage IS 'Per prefecture and category: how many organisations offering the category have their head office in the prefecture, in its region, anywhere, or at an unknown place. A gap means none in the prefecture (or region).';
COMMENT ON COLUMN v_category_coverage.pref_code IS 'Prefecture code 01..47.';
COMMENT ON COLUMN v_category_coverage.pref_name IS 'Prefecture name in kanji.';
COMMENT ON COLUMN v_category_coverage.region IS 'Region of the prefecture.';
COMMENT ON COLUMN v_category_coverage.category IS 'Category code.';
COMMENT ON COLUMN v_category_coverage.vendors_in_pref IS 'Organisations offering the category with their head office in this prefecture.';
COMMENT ON COLUMN v_category_coverage.vendors_in_region IS 'Organisations offering the category with their head office in this region.';
COMMENT ON COLUMN v_category_coverage.vendors_nationally IS 'Organisations offering the category anywhere (head office known or not).';
COMMENT ON COLUMN v_category_coverage.vendors_hq_unknown IS 'Organisations offering the category whose head office is unknown (they may be local: a gap is a lead, not proof).';
COMMENT ON COLUMN v_category_coverage.gap_in_pref IS 'TRUE when no organisation offering the category is known to have its head office in the prefecture.';
COMMENT ON COLUMN v_category_coverage.gap_in_region IS 'TRUE when none is known to have its head office in the region.';
