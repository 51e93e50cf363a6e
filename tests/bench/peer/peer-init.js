// Benchmark peer page: vanilla-cookieconsent 3.1.0 configured like our widget on
// the English demo shop (necessary + analytics + marketing, Google Analytics
// listed, Consent Mode update on every choice).
/* global CookieConsent, gtag */
function signal() {
  const analytics = CookieConsent.acceptedCategory('analytics');
  const marketing = CookieConsent.acceptedCategory('marketing');
  gtag('consent', 'update', {
    analytics_storage: analytics ? 'granted' : 'denied',
    ad_storage: marketing ? 'granted' : 'denied',
    ad_user_data: marketing ? 'granted' : 'denied',
    ad_personalization: marketing ? 'granted' : 'denied',
  });
}
CookieConsent.run({
  // The benchmark drives a headless browser, which the peer would otherwise hide from.
  hideFromBots: false,
  categories: {
    necessary: { enabled: true, readOnly: true },
    analytics: { autoClear: { cookies: [{ name: /^_ga/ }, { name: '_gid' }] } },
    marketing: {},
  },
  onConsent: signal,
  onChange: signal,
  language: {
    default: 'en',
    translations: {
      en: {
        consentModal: {
          title: 'We use cookies',
          description: 'We use analytics cookies to understand how our shop is used, only with your consent.',
          acceptAllBtn: 'Accept all',
          acceptNecessaryBtn: 'Reject all',
          showPreferencesBtn: 'Preferences',
        },
        preferencesModal: {
          title: 'Cookie preferences',
          acceptAllBtn: 'Accept all',
          acceptNecessaryBtn: 'Reject all',
          savePreferencesBtn: 'Save preferences',
          closeIconLabel: 'Close',
          sections: [
            { title: 'Necessary', description: 'Needed for the shop to work.', linkedCategory: 'necessary' },
            {
              title: 'Analytics',
              description: 'Google Analytics: how visitors use the shop.',
              linkedCategory: 'analytics',
              cookieTable: {
                headers: { name: 'Cookie', duration: 'Retention' },
                body: [
                  { name: '_ga', duration: '2 years' },
                  { name: '_gid', duration: '24 hours' },
                ],
              },
            },
            { title: 'Marketing', description: 'Advertising partners.', linkedCategory: 'marketing' },
          ],
        },
      },
    },
  },
});
