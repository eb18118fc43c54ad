"""Where each page type may live: HomePage → treatments / journal / standard pages, nothing else."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from blog.models import ArticlePage, BlogIndexPage
from home.models import HomePage, StandardPage, TreatmentIndexPage, TreatmentPage

ALL_PAGE_TYPES = {HomePage, TreatmentIndexPage, TreatmentPage, StandardPage, BlogIndexPage, ArticlePage}


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {TreatmentIndexPage, BlogIndexPage, StandardPage})
        self.assertEqual(set(HomePage.creatable_subpage_models()), {TreatmentIndexPage, BlogIndexPage, StandardPage})
        self.assertCanNotCreateAt(HomePage, HomePage)
        for page_type in ALL_PAGE_TYPES - {HomePage}:
            self.assertCanNotCreateAt(Page, page_type)

    def test_only_one_home_page(self):
        root = Page.get_first_root_node()
        self.assertTrue(HomePage.can_create_at(root))
        root.add_child(instance=HomePage(title="Home", slug="only-home", hero_heading="Hello"))
        self.assertFalse(HomePage.can_create_at(root))

    def test_treatment_index_page(self):
        self.assertCanCreateAt(HomePage, TreatmentIndexPage)
        self.assertAllowedParentPageTypes(TreatmentIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(TreatmentIndexPage, {TreatmentPage})

    def test_treatment_page(self):
        self.assertCanCreateAt(TreatmentIndexPage, TreatmentPage)
        self.assertAllowedParentPageTypes(TreatmentPage, {TreatmentIndexPage})
        self.assertAllowedSubpageTypes(TreatmentPage, set())
        for parent in ALL_PAGE_TYPES - {TreatmentIndexPage}:
            self.assertCanNotCreateAt(parent, TreatmentPage)

    def test_standard_page(self):
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(StandardPage, StandardPage)
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})
        self.assertCanNotCreateAt(TreatmentIndexPage, StandardPage)
        self.assertCanNotCreateAt(BlogIndexPage, StandardPage)

    def test_blog_index_page(self):
        self.assertCanCreateAt(HomePage, BlogIndexPage)
        self.assertAllowedParentPageTypes(BlogIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(BlogIndexPage, {ArticlePage})

    def test_article_page(self):
        self.assertCanCreateAt(BlogIndexPage, ArticlePage)
        self.assertAllowedParentPageTypes(ArticlePage, {BlogIndexPage})
        self.assertAllowedSubpageTypes(ArticlePage, set())
        for parent in ALL_PAGE_TYPES - {BlogIndexPage}:
            self.assertCanNotCreateAt(parent, ArticlePage)
