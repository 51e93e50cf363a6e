//! The customer query and its answer: the customer found by e-mail, their
//! addresses and orders, page by page, turned into records of fields labelled by
//! data category.

use serde::Deserialize;
use serde_json::{json, Value};

use super::ShopifyError;
use crate::{DataCategory, Field, Found, Record, RecordKind, SourceKind};

/// Only whether a customer has the address.
pub const EXISTS_QUERY: &str = "query PrivacyDeskCustomerExists($email: String!) { \
customerByIdentifier(identifier: {emailAddress: $email}) { id } }";

/// The fields read of an order and of an address, shared by both order queries.
macro_rules! fragments {
    () => {
        "fragment Order on Order { id name createdAt email phone displayFinancialStatus \
displayFulfillmentStatus totalPriceSet { shopMoney { amount currencyCode } } \
shippingAddress { ...Address } billingAddress { ...Address } \
lineItems(first: 25) { nodes { title quantity } } } \
fragment Address on MailingAddress { firstName lastName company address1 address2 zip \
city province countryCodeV2 phone }"
    };
}

/// One query for the profile and one page each of addresses and orders; a
/// connection that is complete is skipped with `@include`. Page sizes keep the
/// requested cost (~340 points) well under Shopify's 1,000-point ceiling.
pub const CUSTOMER_QUERY: &str = concat!(
    "query PrivacyDeskCustomer($email: String!, $addressesAfter: String, \
$ordersAfter: String, $withAddresses: Boolean!, $withOrders: Boolean!) { \
customerByIdentifier(identifier: {emailAddress: $email}) { \
id firstName lastName createdAt locale note tags \
defaultEmailAddress { emailAddress marketingState } \
defaultPhoneNumber { phoneNumber marketingState } \
addressesV2(first: 25, after: $addressesAfter) @include(if: $withAddresses) { \
nodes { ...Address } pageInfo { hasNextPage endCursor } } \
orders(first: 10, after: $ordersAfter) @include(if: $withOrders) { \
nodes { ...Order } pageInfo { hasNextPage endCursor } } } } ",
    fragments!()
);

/// Orders placed with an e-mail address, with or without a customer record
/// (a guest checkout has none), found with the search syntax `email:"..."`.
pub const GUEST_ORDERS_QUERY: &str = concat!(
    "query PrivacyDeskGuestOrders($query: String!, $after: String) { \
orders(first: 10, after: $after, query: $query) { \
nodes { ...Order } pageInfo { hasNextPage endCursor } } } ",
    fragments!()
);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Data {
    customer_by_identifier: Option<Customer>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Customer {
    id: String,
    first_name: Option<String>,
    last_name: Option<String>,
    created_at: Option<String>,
    locale: Option<String>,
    note: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    default_email_address: Option<Email>,
    default_phone_number: Option<Phone>,
    addresses_v2: Option<Connection<Address>>,
    orders: Option<Connection<Order>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Email {
    email_address: Option<String>,
    marketing_state: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Phone {
    phone_number: Option<String>,
    marketing_state: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Connection<T> {
    pub(super) nodes: Vec<T>,
    pub(super) page_info: PageInfo,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PageInfo {
    has_next_page: bool,
    end_cursor: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Address {
    first_name: Option<String>,
    last_name: Option<String>,
    company: Option<String>,
    address1: Option<String>,
    address2: Option<String>,
    zip: Option<String>,
    city: Option<String>,
    province: Option<String>,
    country_code_v2: Option<String>,
    phone: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Order {
    name: Option<String>,
    created_at: Option<String>,
    pub(super) email: Option<String>,
    phone: Option<String>,
    display_financial_status: Option<String>,
    display_fulfillment_status: Option<String>,
    total_price_set: Option<MoneyBag>,
    shipping_address: Option<Address>,
    billing_address: Option<Address>,
    line_items: Option<Items>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MoneyBag {
    shop_money: Money,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Money {
    amount: String,
    currency_code: String,
}

#[derive(Deserialize)]
struct Items {
    nodes: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    title: Option<String>,
    quantity: Option<i64>,
}

/// The paging state of one look-up and what was collected so far.
#[derive(Default)]
pub struct Pages {
    profile: Option<Record>,
    addresses: Vec<Record>,
    orders: Vec<Record>,
    /// `Some(cursor)` while a connection has more pages; `None` before the first
    /// page and when done (see `*_done`).
    addresses_after: Option<String>,
    orders_after: Option<String>,
    addresses_done: bool,
    orders_done: bool,
}

impl Pages {
    pub fn variables(&self, email: &str) -> Value {
        json!({
            "email": email,
            "addressesAfter": self.addresses_after,
            "ordersAfter": self.orders_after,
            "withAddresses": !self.addresses_done,
            "withOrders": !self.orders_done,
        })
    }

    /// Takes one page; `Ok(true)` when another page is needed.
    pub fn take(&mut self, data: Value) -> Result<bool, ShopifyError> {
        let data: Data = super::from_data(&data)?;
        let Some(customer) = data.customer_by_identifier else {
            return Err(ShopifyError::NoCustomer);
        };
        if self.profile.is_none() {
            self.profile = Some(profile(&customer));
        }
        if !self.addresses_done {
            let page = customer.addresses_v2.ok_or(ShopifyError::Malformed)?;
            for address in &page.nodes {
                let n = self.addresses.len() + 1;
                self.addresses.push(Record::new(
                    SourceKind::Shopify,
                    RecordKind::Address,
                    &format!("Address {n}"),
                    &format!("Adres {n}"),
                    address_fields(address),
                ));
            }
            (self.addresses_after, self.addresses_done) = next(page.page_info)?;
        }
        if !self.orders_done {
            let page = customer.orders.ok_or(ShopifyError::Malformed)?;
            for order in &page.nodes {
                self.orders.push(order_record(order));
            }
            (self.orders_after, self.orders_done) = next(page.page_info)?;
        }
        Ok(!(self.addresses_done && self.orders_done))
    }

    pub fn into_found(self, truncated: bool) -> Found {
        Found {
            records: self
                .profile
                .into_iter()
                .chain(self.addresses)
                .chain(self.orders)
                .collect(),
            truncated,
        }
    }
}

/// The cursor for the next page, and whether the connection is done. A "next
/// page" without a cursor would loop forever, so it is refused.
pub(super) fn next(info: PageInfo) -> Result<(Option<String>, bool), ShopifyError> {
    match (info.has_next_page, info.end_cursor) {
        (false, _) => Ok((None, true)),
        (true, Some(cursor)) if !cursor.is_empty() => Ok((Some(cursor), false)),
        (true, _) => Err(ShopifyError::Malformed),
    }
}

/// (category, (key, English label, Dutch label), value): one field to keep when
/// it has a value.
type Candidate<'a> = (
    DataCategory,
    (&'static str, &'static str, &'static str),
    Option<&'a str>,
);

/// The fields among `candidates` that have a non-blank value.
fn fields_of(candidates: Vec<Candidate>) -> Vec<Field> {
    candidates
        .into_iter()
        .filter_map(|(category, (key, en, nl), value)| {
            let value = value.map(str::trim).filter(|v| !v.is_empty())?;
            Some(Field::labelled(category, key, en, nl, value))
        })
        .collect()
}

fn profile(customer: &Customer) -> Record {
    use DataCategory as C;
    let number = customer.id.rsplit('/').next().unwrap_or(&customer.id);
    let email = customer.default_email_address.as_ref();
    let phone = customer.default_phone_number.as_ref();
    let tags = customer.tags.join(", ");
    let fields = fields_of(vec![
        (
            C::Identity,
            ("customer_id", "Customer number", "Klantnummer"),
            Some(number),
        ),
        (
            C::Identity,
            ("first_name", "First name", "Voornaam"),
            customer.first_name.as_deref(),
        ),
        (
            C::Identity,
            ("last_name", "Last name", "Achternaam"),
            customer.last_name.as_deref(),
        ),
        (
            C::Identity,
            ("customer_since", "Customer since", "Klant sinds"),
            customer.created_at.as_deref(),
        ),
        (
            C::Identity,
            ("language", "Language", "Taal"),
            customer.locale.as_deref(),
        ),
        (
            C::Contact,
            ("email", "E-mail address", "E-mailadres"),
            email.and_then(|e| e.email_address.as_deref()),
        ),
        (
            C::Marketing,
            ("email_marketing", "E-mail marketing", "E-mailmarketing"),
            email.and_then(|e| e.marketing_state.as_deref()),
        ),
        (
            C::Contact,
            ("phone", "Phone number", "Telefoonnummer"),
            phone.and_then(|p| p.phone_number.as_deref()),
        ),
        (
            C::Marketing,
            ("sms_marketing", "SMS marketing", "Sms-marketing"),
            phone.and_then(|p| p.marketing_state.as_deref()),
        ),
        (
            C::Correspondence,
            ("note", "Note about you", "Notitie over jou"),
            customer.note.as_deref(),
        ),
        (C::Other, ("tags", "Tags", "Labels"), Some(&tags)),
    ]);
    Record::new(
        SourceKind::Shopify,
        RecordKind::Customer,
        "Customer profile",
        "Klantprofiel",
        fields,
    )
}

fn address_fields(address: &Address) -> Vec<Field> {
    use DataCategory as C;
    let name = join(&[&address.first_name, &address.last_name], " ");
    fields_of(vec![
        (C::Identity, ("name", "Name", "Naam"), Some(&name)),
        (
            C::Identity,
            ("company", "Company", "Bedrijf"),
            address.company.as_deref(),
        ),
        (
            C::Address,
            ("address1", "Address", "Adres"),
            address.address1.as_deref(),
        ),
        (
            C::Address,
            ("address2", "Address line 2", "Adresregel 2"),
            address.address2.as_deref(),
        ),
        (
            C::Address,
            ("zip", "Postcode", "Postcode"),
            address.zip.as_deref(),
        ),
        (
            C::Address,
            ("city", "City", "Plaats"),
            address.city.as_deref(),
        ),
        (
            C::Address,
            ("province", "Province", "Provincie"),
            address.province.as_deref(),
        ),
        (
            C::Address,
            ("country", "Country", "Land"),
            address.country_code_v2.as_deref(),
        ),
        (
            C::Contact,
            ("phone", "Phone number", "Telefoonnummer"),
            address.phone.as_deref(),
        ),
    ])
}

/// An address on one line, for an order's delivery and billing address.
fn one_line(address: &Address) -> String {
    join(
        &[
            &Some(join(&[&address.first_name, &address.last_name], " ")),
            &address.company,
            &address.address1,
            &address.address2,
            &Some(join(&[&address.zip, &address.city], " ")),
            &address.province,
            &address.country_code_v2,
        ],
        ", ",
    )
}

fn join(parts: &[&Option<String>], separator: &str) -> String {
    parts
        .iter()
        .filter_map(|p| p.as_deref().map(str::trim).filter(|p| !p.is_empty()))
        .collect::<Vec<_>>()
        .join(separator)
}

pub(super) fn order_record(order: &Order) -> Record {
    use DataCategory as C;
    let name = order.name.as_deref().unwrap_or("");
    let total = order
        .total_price_set
        .as_ref()
        .map(|t| format!("{} {}", t.shop_money.amount, t.shop_money.currency_code));
    let shipping = order.shipping_address.as_ref().map(one_line);
    let billing = order.billing_address.as_ref().map(one_line);
    let items: Vec<String> = order
        .line_items
        .iter()
        .flat_map(|items| &items.nodes)
        .map(|item| {
            format!(
                "{} × {}",
                item.quantity.unwrap_or(1),
                item.title.as_deref().unwrap_or("?")
            )
        })
        .collect();
    let mut candidates: Vec<Candidate> = vec![
        (C::Order, ("order", "Order", "Bestelling"), Some(name)),
        (
            C::Order,
            ("date", "Date", "Datum"),
            order.created_at.as_deref(),
        ),
        (
            C::Contact,
            ("email", "E-mail address", "E-mailadres"),
            order.email.as_deref(),
        ),
        (
            C::Contact,
            ("phone", "Phone number", "Telefoonnummer"),
            order.phone.as_deref(),
        ),
        (C::Payment, ("total", "Total", "Totaal"), total.as_deref()),
        (
            C::Payment,
            ("payment_status", "Payment status", "Betaalstatus"),
            order.display_financial_status.as_deref(),
        ),
        (
            C::Order,
            ("delivery_status", "Delivery status", "Bezorgstatus"),
            order.display_fulfillment_status.as_deref(),
        ),
    ];
    candidates.extend(
        items
            .iter()
            .map(|line| (C::Order, ("item", "Item", "Artikel"), Some(line.as_str()))),
    );
    candidates.push((
        C::Address,
        ("shipping_address", "Delivery address", "Bezorgadres"),
        shipping.as_deref(),
    ));
    candidates.push((
        C::Address,
        ("billing_address", "Billing address", "Factuuradres"),
        billing.as_deref(),
    ));
    Record::new(
        SourceKind::Shopify,
        RecordKind::Order,
        &format!("Order {name}"),
        &format!("Bestelling {name}"),
        fields_of(candidates),
    )
}
