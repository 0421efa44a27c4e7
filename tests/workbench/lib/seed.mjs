// Deterministic seed-data generator for the replica: packages in the internal model (shape.mjs)
// with realistic Chinese names, phones, addresses, SKUs (some bundles) and remarks (some with
// phone numbers), spread over the days before the replica's "now", and the defaults for a package
// posted without them. Same seed + same count -> same packages whatever the shape (times are
// relative to `now`). The main random stream draws exactly what the first replica drew (same IDs,
// times, products, plaintext, waiting or not); the seen-only details (status sub-codes, nickname,
// bundles, +86 phones...) come from a second stream per package.
import { LEGACY_COURIERS, makeExpressNo } from './rules.mjs';
import { canonicalCourier } from './shape.mjs';
import { AFTER_SALE } from './input.mjs';

/** mulberry32 PRNG from a string or number seed. */
export function rng(seed) {
  let h = 1779033703 ^ String(seed).length;
  for (const ch of String(seed)) h = Math.imul(h ^ ch.codePointAt(0), 3432918353), h = (h << 13) | (h >>> 19);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤欧阳';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红鹏辉建华丹俊峰欣怡梓涵子轩浩宇佳琪诗雨思远晨曦雅婷若曦一诺嘉怡雨桐梦瑶';
const PHONE_PREFIX = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156', '157', '158', '159', '166', '176', '177', '178', '180', '181', '182', '183', '185', '186', '187', '188', '189', '191', '198', '199'];
const REGIONS = [
  ['广东省', '深圳市', '南山区'], ['广东省', '广州市', '天河区'], ['广东省', '东莞市', '松山湖'],
  ['浙江省', '杭州市', '西湖区'], ['浙江省', '宁波市', '鄞州区'], ['江苏省', '南京市', '鼓楼区'],
  ['江苏省', '苏州市', '工业园区'], ['上海市', '上海市', '浦东新区'], ['上海市', '上海市', '徐汇区'],
  ['北京市', '北京市', '朝阳区'], ['北京市', '北京市', '海淀区'], ['四川省', '成都市', '武侯区'],
  ['湖北省', '武汉市', '洪山区'], ['湖南省', '长沙市', '岳麓区'], ['福建省', '厦门市', '思明区'],
  ['山东省', '青岛市', '市南区'], ['陕西省', '西安市', '雁塔区'], ['重庆市', '重庆市', '渝北区'],
  ['天津市', '天津市', '南开区'], ['河南省', '郑州市', '金水区'], ['云南省', '昆明市', '五华区'],
];
const ROADS = ['科技园南路', '中山路', '人民路', '解放大道', '建设路', '文三路', '长江路', '滨江大道', '学府路', '新华街', '金融街', '望京西路', '天府大道', '珞喻路', '湖滨北路'];
const ESTATES = ['阳光花园', '翠湖苑', '锦绣华庭', '万科城', '碧桂园', '金地格林', '保利香槟', '华润城', '龙湖春江郦城', '绿地世纪城', '幸福里', '星河湾'];
const PRODUCTS = [
  ['法式复古碎花连衣裙', ['S 杏色', 'M 杏色', 'L 蓝色'], 139],
  ['纯棉宽松短袖T恤', ['白色 M', '黑色 L', '灰色 XL'], 59],
  ['手工编织草帽', ['米白', '卡其'], 45.9],
  ['玻尿酸补水面膜 10片装', ['标准装'], 79],
  ['云南小粒咖啡豆 500g', ['中度烘焙', '深度烘焙'], 88],
  ['北欧风陶瓷马克杯', ['奶白', '雾蓝', '豆绿'], 36.5],
  ['香薰蜡烛礼盒', ['白茶', '无花果', '雪松'], 99],
  ['冻干草莓脆 100g', ['原味'], 29.9],
  ['手机防摔保护壳', ['iPhone 15', 'iPhone 15 Pro', '华为 Mate 60'], 25],
  ['珍珠耳钉 925银', ['单对装'], 68],
  ['帆布托特包', ['米色', '黑色'], 49],
  ['婴儿纯棉口水巾 5条装', ['混色'], 39.9],
  ['桂花乌龙茶 罐装', ['100g', '250g'], 58],
  ['复古胶片相机', ['黑色 含胶卷'], 259],
  ['护手霜套装', ['3支装'], 45],
  ['儿童绘本 全8册', ['精装'], 128],
];
const REMARKS = [
  '请尽快发货，谢谢', '送人的，不要放价格单', '麻烦包装好一点', '不要放发票', '放快递柜就行', '工作日白天送货',
  '颜色发错过一次了，这次请核对', '请备注易碎品', '麻烦发顺丰', '加急！周末前要用',
];

/** Fills `{ pick, int, digits }` helpers around a PRNG. */
function helpers(rnd) {
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
  const digits = (n) => Array.from({ length: n }, () => int(0, 9)).join('');
  return { int, pick, digits };
}

/** Masks a name like the platform: the surname and `**` (`王**`). */
export function maskName(name) {
  return Array.from(name)[0] + '**';
}

/** Masks a phone: `138****1234`. */
export function maskPhone(phone) {
  return phone.length >= 7 ? phone.slice(0, 3) + '****' + phone.slice(-4) : '****';
}

/** Masks a street the seen way: digits and letters -> `**`, nothing kept after the building (`金钟路**号阳光花园**栋****`). */
export function maskStreet(street) {
  const masked = street.replace(/[0-9A-Za-z]+/g, '**');
  const cut = masked.indexOf('栋');
  return cut >= 0 ? masked.slice(0, cut + 1) + '****' : masked + '****';
}

/** A plaintext recipient from `rnd` (region parts and street apart too). */
export function makePerson(rnd) {
  const { int, pick, digits } = helpers(rnd);
  const surname = rnd() < 0.03 ? '欧阳' : pick(Array.from(SURNAMES.slice(0, -2)));
  const given = Array.from({ length: rnd() < 0.3 ? 1 : 2 }, () => pick(Array.from(GIVEN))).join('');
  const [province, city, district] = pick(REGIONS);
  const region = province === city ? city + district : province + city + district;
  const street = `${pick(ROADS)}${int(1, 999)}号${pick(ESTATES)}${int(1, 30)}栋${int(1, 4)}单元${int(1, 33)}0${int(1, 6)}室`;
  return {
    receiver_name: surname + given,
    receiver_phone: pick(PHONE_PREFIX) + digits(8),
    receiver_address: region + street,
    province, city, district, street,
  };
}

/** The plaintext the decrypt endpoint answers for a person. */
export const plainOf = (person) => ({ receiver_name: person.receiver_name, receiver_phone: person.receiver_phone, receiver_address: person.receiver_address });

const NICKS = ['小红薯', 'momo', '橘子汽水', '一只小熊', '晚风', '阿柒', '今天也要开心', '奶盖', '山有木兮', '桃子'];
const hex = (rnd, n) => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('');
/** The shop's seller ID (one shop). */
export const SELLER_ID = '5f3c9a7e2b1d4e0012a8c6f1';

/** The masked internal recipient for a plaintext person; `rnd` draws the seen-only details. */
export function maskedRecipient(person, note, rnd) {
  const nick = NICKS[Math.floor(rnd() * NICKS.length)];
  return {
    name: maskName(person.receiver_name),
    nickName: nick === '小红薯' ? `小红薯${hex(rnd, 6).toUpperCase()}` : nick,
    province: person.province, city: person.city, district: person.district,
    street: maskStreet(person.street),
    legacyAddress: (person.province === person.city ? person.city : person.province + person.city) + person.district + '****',
    phone: maskPhone(person.receiver_phone),
    phoneCc: rnd() < 1 / 3 ? '+86' : '',
    note,
    extra: {},
  };
}

const round2 = (x) => Math.round(x * 100) / 100;

/** The defaults of a package posted to /__test/orders without them (a waiting one, paid `now`). */
export function defaultPackage(id, now) {
  const rnd = rng(`defaults:${id}`);
  const person = makePerson(rng(`plain:${id}`));
  return {
    pkg: {
      packageId: id, orderId: '6' + id.replace(/\D/g, '').padEnd(17, '0').slice(0, 17),
      meaning: 'ship', code: null, statusDesc: null, afterSale: { code: 0, desc: '' },
      paidAt: now, orderedAt: now - 120_000, updatedAt: now, createdAt: now,
      actualPaid: 9.9, totalOrderAmount: 9.9, actualSellerReceiveAmount: 9.84, shippingFee: 0,
      sellerId: SELLER_ID, userId: hex(rnd, 24), orderTagList: [],
      recipient: maskedRecipient(person, '', rnd),
      items: [{ skuId: 'sku' + id.slice(-8), itemId: hex(rnd, 24), name: '测试商品', spec: '默认', quantity: 1, price: 9.9, image: '', extra: {} }],
      extra: {},
    },
    plain: plainOf(person),
  };
}

/** Seen-only details of a seeded package, drawn from its own stream: sub-status, times, bundle, IDs. */
function dress(pkg, legacyStatus, now, rnd) {
  const r = rnd();
  if (legacyStatus === 5) pkg.meaning = 'pick';
  else if (legacyStatus === 4) pkg.meaning = r < 0.22 ? 'pick' : r < 0.3 ? 'partial' : r < 0.36 ? 'ship26' : 'ship';
  else if (legacyStatus === 6) pkg.meaning = r < 0.3 ? 'unsigned' : 'shipped';
  else pkg.meaning = legacyStatus === 7 ? 'done' : 'cancelled';
  pkg.orderedAt = pkg.paidAt - 20_000 - Math.floor(rnd() * 600_000);
  const later = pkg.meaning === 'done' ? 3 * 86_400_000 : pkg.meaning === 'shipped' || pkg.meaning === 'unsigned' ? 86_400_000 : 600_000;
  pkg.updatedAt = Math.min(now - 1000, pkg.paidAt + 5_000 + Math.floor(rnd() * later));
  pkg.userId = hex(rnd, 24);
  pkg.orderTagList = rnd() < 0.05 ? ['NO_LOGISTICS'] : [];
  pkg.recipient = maskedRecipient(pkg.person, pkg.recipient.note, rnd);
  for (const item of pkg.items) {
    item.itemId = hex(rnd, 24);
    item.image = `https://qimg.xiaohongshu.com/arkgoods/${hex(rnd, 32)}?imageView2/2/w/360/format/webp`;
  }
  if (rnd() < 1 / 8) {
    // One sku is a bundle: the same goods, sold as one set with a gift; scskus spelled both ways.
    const i = Math.floor(rnd() * pkg.items.length);
    const s = pkg.items[i];
    const gift = ['定制贺卡', '试用装小样', '收纳袋'][Math.floor(rnd() * 3)];
    const spell = rnd() < 0.5;
    pkg.items[i] = {
      ...s, name: `${s.name} 组合装`, spec: `${s.spec}+${gift}`, quantity: 1, price: round2(s.price * s.quantity),
      bundle: [
        { name: `${s.name} ${s.spec}`, nameKey: spell ? 'name' : 'skuName', quantity: s.quantity, price: s.price, priceKey: spell ? 'soldPrice' : 'price', extra: {} },
        { name: gift, nameKey: spell ? 'skuName' : 'name', quantity: 1, price: 0, priceKey: spell ? 'price' : 'soldPrice', extra: {} },
      ],
    };
  }
  delete pkg.person;
}

/**
 * Generates `count` packages paid over the days before `now`, in the internal model.
 * @returns {{packages: object[], plain: Map<string, object>}} packages newest first; plaintext apart
 */
export function generate({ seed = 1, count = 150, now = Date.now() } = {}) {
  const rnd = rng(`redship-replica:${seed}`);
  const { int, pick, digits } = helpers(rnd);
  // Stay in the 0-200 tier: about 40 orders a day at most, and at least 12 days.
  const days = Math.max(12, Math.ceil(count / 40));
  const span = days * 86_400_000;
  const times = Array.from({ length: count }, () => now - 300_000 - Math.floor(rnd() * span)).sort((a, b) => b - a);
  const packages = [];
  const plain = new Map();
  const used = new Set();
  const ids = new Set();
  const uniqueId = (make) => { let id = make(); while (ids.has(id)) id = make(); ids.add(id); return id; };
  for (let i = 0; i < count; i++) {
    const paidAt = times[i];
    const ageDays = (now - paidAt) / 86_400_000;
    const person = makePerson(rnd);
    const r = rnd();
    let status; // the first replica's code; `dress` turns it into a meaning
    if (ageDays < 2) status = r < 0.85 ? (r < 0.1 ? 5 : 4) : r < 0.95 ? 6 : 998;
    else if (ageDays < 5) status = r < 0.45 ? 4 : r < 0.9 ? 6 : 998;
    else status = r < 0.08 ? 4 : r < 0.3 ? 6 : r < 0.93 ? 7 : 998;
    const items = Array.from({ length: rnd() < 0.75 ? 1 : int(2, 3) }, () => {
      const [name, specs, price] = pick(PRODUCTS);
      return { skuId: digits(6) + Array.from({ length: 18 }, () => int(0, 15).toString(16)).join(''), name, spec: pick(specs), quantity: rnd() < 0.8 ? 1 : int(2, 3), price, extra: {} };
    });
    const total = items.reduce((s, k) => s + k.price * k.quantity, 0);
    const discount = rnd() < 0.4 ? int(3, 20) : 0;
    const rr = rnd();
    let remark = '';
    if (rr < 0.12) remark = `到了打我电话${pick(PHONE_PREFIX)}${digits(8)}`;
    else if (rr < 0.18) remark = `联系人换成${pick(Array.from(SURNAMES.slice(0, -2)))}小姐 ${pick(PHONE_PREFIX)}-${digits(4)}-${digits(4)}`;
    else if (rr < 0.45) remark = pick(REMARKS);
    const afterSale = status === 998 ? '' : rnd() < 0.05 ? pick(['退款中', '售后完成', '退货退款中']) : '';
    const actualPaid = round2(Math.max(0.01, total - discount));
    const pkg = {
      packageId: uniqueId(() => 'P7' + String(int(10, 99)) + digits(11) + String(i % 100).padStart(2, '0')),
      orderId: '6' + digits(17),
      meaning: null, code: null, statusDesc: null,
      afterSale: { code: afterSale ? AFTER_SALE[afterSale] : 0, desc: afterSale },
      paidAt, orderedAt: paidAt, updatedAt: paidAt, createdAt: paidAt,
      actualPaid, totalOrderAmount: round2(total), actualSellerReceiveAmount: round2(actualPaid * 0.994), shippingFee: 0,
      sellerId: SELLER_ID, userId: '', orderTagList: [],
      person, recipient: { note: remark }, items, extra: {},
    };
    if (status === 6 || status === 7) {
      const courier = pick(LEGACY_COURIERS).express_company_code;
      let no = makeExpressNo(courier, rnd);
      while (used.has(no)) no = makeExpressNo(courier, rnd);
      used.add(no);
      pkg.expressCompanyCode = canonicalCourier(courier);
      pkg.expressNo = no;
    }
    dress(pkg, status, now, rng(`redship-replica:${seed}:seen:${pkg.packageId}`));
    packages.push(pkg);
    plain.set(pkg.packageId, plainOf(person));
  }
  return { packages, plain };
}
