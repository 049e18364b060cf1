var e,t,n,r,i,a,o,s,c,l,u=Symbol.for(`pv`),d={},f=[],p=/^m(i|n|o|s|text|space)$/,m=Array.isArray,h=f.slice,g=Object.assign;function _(e){e&&e.parentNode&&e.remove()}function v(e,t,n){var r,i,a,o={},s=arguments.length;for(a in t)a==`key`?r=t[a]:a==`ref`&&typeof e!=`function`?i=t[a]:o[a]=t[a];return s>2&&(o.children=s>3?h.call(arguments,2):n),y(e,o,r,i,null)}function y(n,r,i,a,o){var s={type:n,props:r,key:i,ref:a,__k:null,__:null,__b:0,__e:null,__c:null,constructor:u,__v:o||++t,__i:-1,__u:0};return!o&&e.vnode&&e.vnode(s),s}function b(e){return e.children}function x(e,t){this.props=e,this.context=t,this.__g=0}function S(e,t){if(t==null)return e.__&&S(e.__,e.__i+1);for(var n;t<e.__k.length;t++)if((n=e.__k[t])&&n.__e)return n.__e;return typeof e.type!=`function`||e.props.__P?null:S(e)}function C(t){var n,r=t.__v,i=r.__e,a=[],o=[],s=t.__P;s&&((n=g({constructor:u},r)).__v=r.__v+1,e.vnode&&e.vnode(n),A(s,n,r,t.__n,s.namespaceURI,32&r.__u?[i]:null,a,i||S(r),32&r.__u,o),n.__v=r.__v,n.__.__k[n.__i]=n,oe(a,n,o),r.__=r.__e=null,n.__e!=i&&w(n))}function w(e){if((e=e.__)&&e.__c&&!e.props.__P)return e.__e=null,e.__k.some(function(t){return t&&(e.__e=t.__e)}),w(e)}function T(t){(8&t.__g||(t.__g|=8,n.push(t),i++))&&r==e.debounceRendering||((r=e.debounceRendering)||queueMicrotask)(E)}function E(){try{for(var e,t=1;n.length;)n.length>t&&n.sort(a),e=n.shift(),t=n.length,8&e.__g&&C(e)}finally{(i=n.length)&&(r||queueMicrotask)(E)}}function ee(e,t,n,r,i,a,o,s,c,l,u){var p,m,h,g,_,v,y=r.__k||f,b=t.length;for(c=D(n,t,y,c,b),p=0;p<b;p++)(h=n.__k[p])!=null&&(m=~h.__i&&y[h.__i]||d,h.__i=p,v=A(e,h,m,i,a,o,s,c,l,u),g=h.__e,(m.ref!=h.ref||8&m.__u)&&(m.ref&&j(m.ref,null,h,m),h.ref&&u.push(h.ref,h.__c||g,h)),_||=g,4&h.__u?(c=O(h,c,e,!m.__v),m.__e&&(m.__e=null)):typeof h.type==`function`&&v!==void 0?c=v:g&&(c=g.nextSibling),h.__u&=-21);return n.__e=_,c}function D(e,t,n,r,i){var a,o,s,c,l,d,f,p,h,g=n.length,_=g,v=0,x=0,C=e.__k=Array(i);for(a=0;a<i;a++)(o=t[a])!=null&&typeof o!=`boolean`&&typeof o!=`function`?(typeof o!=`object`||o.constructor===String?o=C[a]=y(null,o):m(o)?o=C[a]=y(b,{children:o}):o.constructor===u&&o.__b?o=C[a]=y(o.type,o.props,o.key,o.ref,o.__v):C[a]=o,c=a+v,o.__=e,o.__b=e.__b+1,s=null,~(l=o.__i=k(o,n,c,_))&&(_--,(s=n[l])&&(s.__u|=2)),s&&s.__v?(o.__u|=16,l==c-1?v--:l==c+1?v++:l!=c&&(l>c?v--:v++,x=1)):(~l||(i>g?v--:i<g&&v++),typeof o.type!=`function`&&(o.__u|=4))):C[a]=null;if(x){for(d=[],f=[],a=0;a<i;a++)if((o=C[a])&&16&o.__u){for(v=0,p=d.length;v<p;)d[h=v+p>>1]<o.__i?v=h+1:p=h;d[v]=o.__i,f[a]=v+1}for(v=d.length;a--;)f[a]&&(f[a]==v?v--:C[a].__u|=4)}if(_)for(a=0;a<g;a++)!(s=n[a])||2&s.__u||(s.__e==r&&(r=S(s)),ce(s,s));return r}function O(e,t,n,r){var i,a,o,s;if(typeof e.type==`function`){if(e.props.__P)return t;if(i=e.__k)for(a=0;a<i.length;a++)i[a]&&(i[a].__=e,t=O(i[a],t,n,!1));return t}for(t&&!t.parentNode&&(t=S(e))&&!t.parentNode&&(t=null),o=e.__e,s=t;s&&s.nodeType==8;)s=s.nextSibling;for(o!=s&&(!r&&n.moveBefore&&o.parentNode?n.moveBefore(o,t):n.insertBefore(o,t||null)),t=o;(t&&=t.nextSibling)&&t.nodeType==8&&!t.data.startsWith(`$s`););return t}function k(e,t,n,r){var i,a=e.key,o=e.type,s=t[n],c=s&&!(2&s.__u);if(s===null&&a==null||c&&a==s.key&&o==s.type)return n;if(r>+!!c){for(i=n-1;i>=0;i--)if((s=t[i])&&!(2&s.__u)&&a==s.key&&o==s.type)return i;for(i=n+1;i<t.length;i++)if((s=t[i])&&!(2&s.__u)&&a==s.key&&o==s.type)return i}return-1}function te(e,t,n){n??=``,t[0]==`-`?e.setProperty(t,n):e[t]=n}function ne(e,t,n,r,i){var a,o;if(t==`style`){if(typeof n==`string`)e.style.cssText=n;else{if(typeof r==`string`&&(e.style.cssText=r=``),r)for(t in r)n&&t in n||te(e.style,t);if(n)for(t in n)r&&n[t]==r[t]||te(e.style,t,n[t])}}else if(t[0]==`o`&&t[1]==`n`)typeof n!=`function`&&(n=null),typeof r!=`function`&&(r=null),(e.__e||={})[t]=n,n&&r||(o=l[t]||(l[t]=re(t)),(e.__a||={})[t]=c,a=t!=(t=t.replace(s,`$1`)),(t=t.slice(2))[0]<`a`&&(t=t.toLowerCase()),n?e.addEventListener(t,o,a):e.removeEventListener(t,o,a));else{if(i==`http://www.w3.org/2000/svg`)t=t.replace(/xlink(H|:h)/,`h`).replace(/sName$/,`s`);else if(t!=`width`&&t!=`height`&&t!=`href`&&t!=`list`&&t!=`form`&&t!=`tabIndex`&&t!=`download`&&t!=`rowSpan`&&t!=`colSpan`&&t!=`role`&&t!=`popover`&&t in e)try{e[t]=n??``;return}catch{}if(typeof n==`function`)return;n==null||!1===n&&t[4]!=`-`?e.removeAttribute(t):e.setAttribute(t,t==`popover`&&n==1?``:n)}}function re(t){return function(n){var r=this.__e;if(r){if(r=r[t],n[o]==null)n[o]=c++;else if(n[o]<this.__a[t])return;return r(e.event?e.event(n):n)}}}function A(t,n,r,i,a,o,s,c,l,d){var p,h,v,y,C,w,T,E,D,O,k,te,ne,re,A,oe,j,M,N=n.type;if(n.constructor!==u)return null;128&r.__u&&(l=32&r.__u,p=r.__c.__z)&&(n.__u|=l,h=o=[],p.nodeType==8?c=ie(p,o):o.push(p),c=o[0]||c),(p=e.__b)&&p(n);n:if(typeof N==`function`){v=s.length;try{if(E=n.props,D=(p=N.prototype)&&p.render,O=(p=N.contextType)&&i[p.__c],k=p?O?O.props.value:p.__:i,(y=r.__c)?(n.__c=y,2&y.__g&&(y.__g|=1)):(D?n.__c=y=new N(E,k):(n.__c=y=new x(E,k),y.constructor=N,y.render=le),O&&O.sub(y),y.state||(y.state={}),y.__n=i,y.__g|=8,y.__h=[],y.__k=[]),D&&(y.__s||(y.__s=y.state),N.getDerivedStateFromProps&&(y.__s==y.state&&(y.__s=g({},y.__s)),g(y.__s,N.getDerivedStateFromProps(E,y.__s)))),C=y.props,w=y.state,y.__v=n,r.__c){if(E!==C&&D&&!N.getDerivedStateFromProps&&y.componentWillReceiveProps&&y.componentWillReceiveProps(E,k),n.__v==r.__v&&!(8&y.__g)||!(4&y.__g)&&y.shouldComponentUpdate&&!1===y.shouldComponentUpdate(E,y.__s,k)){n.__v!=r.__v&&(y.props=E,y.state=y.__s,y.__g&=-9),n.__e=r.__e,n.__k=r.__k,n.__k.some(function(e){e&&(e.__=n)}),f.push.apply(y.__h,y.__k),y.__k=[],y.__h.length&&s.push(y),c=S(r);break n}y.componentWillUpdate&&y.componentWillUpdate(E,y.__s,k),D&&y.componentDidUpdate&&y.__h.push(function(){y.componentDidUpdate(C,w,T)})}else D&&!N.getDerivedStateFromProps&&y.componentWillMount&&y.componentWillMount(),D&&y.componentDidMount&&y.__h.push(y.componentDidMount);y.context=k,y.props=E,y.__P=t,y.__g&=-5,te=e.__r,ne=D?25:0;do y.__g&=-9,te&&te(n),p=y.render(y.props,y.state=y.__s,y.context);while(8&y.__g&&++ne<25);D&&(f.push.apply(y.__h,y.__k),y.__k=[]),y.state=y.__s,y.getChildContext&&(i=g({},i,y.getChildContext())),D&&r.__c&&y.getSnapshotBeforeUpdate&&(T=y.getSnapshotBeforeUpdate(C,w)),re=p&&p.type===b&&p.key==null?p.props.children:p,E.__P&&(p=c,a=(t=E.__P).namespaceURI,l=o=null,r.props&&r.props.__P!=t&&(r.__k.some(function(e){e&&ce(e,e)}),r.__k=null),c=r.__k?S(r,0):null),c=ee(t,m(re)?re:[re],n,r,i,a,o,s,c,l,d),E.__P&&(n.__e=null,c=p),n.__u&=-161,h&&h.some(_),y.__h.length&&s.push(y),1&y.__g&&(y.__g&=-4)}catch(t){if(s.length=v,n.__v=null,l||o){if(t&&t.then){if(n.__u|=128|l,o){for(~(j=o.indexOf(c||void 0))||(j=o.length);(M=o[j-1])&&M.nodeType==8;)j--;for(;j<o.length;j++)if(M=o[j]){if(o[j]=null,A){if(M==oe)break}else{if(M.nodeType!=8)break;M.data.startsWith(`$s`)&&(oe=ie(A=M))}}}if(!A){for(;c&&c.nodeType==8&&c.nextSibling;)c=c.nextSibling;A=c}(p=ie(A=n.__c.__z||(n.__c.__z=A)))?(n.__e=A,c=p):n.__e=c,c&&=c.nextSibling}else o&&o.some(_)}else n.__e=r.__e;n.__k||=r.__k||[],t&&t.then||ae(n),e.__e(t,n,r)}}else c=n.__e=se(r.__e,n,r,i,a,o,s,l,d,t);return(p=e.diffed)&&p(n),c}function ie(e,t){if(e&&e.nodeType==8&&e.data.startsWith(`$s`))for(var n=1;e=e.nextSibling;){if(e.nodeType==8){if(e.data.startsWith(`$s`))n++;else if(e.data.startsWith(`/$s`)&&!--n)return e}t&&t.push(e)}}function ae(e){e&&(e.__c&&(e.__c.__g|=4),e.__k&&e.__k.some(ae))}function oe(t,n,r){for(var i=0;i<r.length;)j(r[i++],r[i++],r[i++]);e.__c&&e.__c(n,t),t.some(function(n){try{t=n.__h,n.__h=[],t.some(function(e){e.call(n)})}catch(t){e.__e(t,n.__v)}})}function se(t,n,r,i,a,o,s,c,l,u){var f,g,v,y,b,x,C,w,T=r.props||d,E=n.props,D=n.type;if(D==`svg`?a=`http://www.w3.org/2000/svg`:D==`math`?a=`http://www.w3.org/1998/Math/MathML`:a||=`http://www.w3.org/1999/xhtml`,o){for(f=0;f<o.length;f++)if((b=o[f])&&(D?b.localName==D:b.nodeType==3)){t=b,o[f]=null;break}}if(!t){if(w=u.ownerDocument||document,!D)return w.createTextNode(E);t=w.createElementNS(a,D,E.is?E:u),c&&=(e.__m&&e.__m(n,o),!1),o=null}if(D){if(u=D==`template`&&t.content||t,o=D==`textarea`&&E.defaultValue!=null?null:o&&h.call(u.childNodes),!c&&o)for(T={},f=0;f<t.attributes.length;f++)T[(b=t.attributes[f]).name]=b.value;for(f in T)b=T[f],f==`dangerouslySetInnerHTML`?v=b:f==`children`||f in E||f==`value`&&`defaultValue`in E||f==`checked`&&`defaultChecked`in E||ne(t,f,null,b,a);for(f in E)b=E[f],f==`children`?y=b:f==`dangerouslySetInnerHTML`?g=b:f==`value`?x=b:f==`checked`?C=b:c&&typeof b!=`function`||T[f]===b||ne(t,f,b,T[f],a);g?(c||v&&(g.__html==v.__html||g.__html==t.innerHTML)||(t.innerHTML=g.__html),n.__k=[]):(v&&(t.textContent=``),(D==`foreignObject`||a==`http://www.w3.org/1998/Math/MathML`&&p.test(D))&&(a=`http://www.w3.org/1999/xhtml`),ee(u,m(y)?y:[y],n,r,i,a,o,s,o?o[0]:r.__k&&S(r,0),c,l),o&&o.some(_)),c&&D!=`textarea`||(f=`value`,D==`progress`&&x==null?t.removeAttribute(f):x==null||x===t[f]&&(D!=`progress`||x)||ne(t,f,x,T[f],a),f=`checked`,C!=null&&C!=t[f]&&ne(t,f,C,T[f],a))}else T===E||c&&t.data==E||(t.data=E);return t}function j(t,n,r,i){try{typeof t==`function`?n?n.__x=t(n)||1:(i&&=i.__c||i.__e)&&(n=i.__x)&&(i.__x=null,typeof n==`function`?n():t(null)):t.current=n}catch(t){e.__e(t,r)}}function ce(t,n,r){var i,a,o,s;if(e.unmount&&e.unmount(t),!(i=t.ref)||i.current&&i.current!=t.__e||j(i,null,n,t),i=t.__c){if(i.componentWillUnmount)try{i.componentWillUnmount()}catch(t){e.__e(t,n)}i.__P=i.__n=null}if(i=t.__k)for(s=0;s<i.length;s++)i[s]&&ce(i[s],n,typeof t.type!=`function`||r&&!t.props.__P);!r&&(i=t.__c)&&(i=i.__z)&&(a=ie(i,o=[]))&&(i==t.__e&&o.some(_),_(a),_(i)),r||_(t.__e),t.__e=t.__c=t.__=null}function le(e,t,n){return this.constructor(e,n)}function M(t,n){var r,i,a,o;e.__&&e.__(t,n),n.nodeType==9&&(n=n.documentElement),i=(r=t&&32&t.__u)?null:n.__k,n.__k=y(b,{children:[t]}),a=[],o=[],A(n,n.__k,i||d,d,n.namespaceURI,i?null:n.firstChild?h.call(n.childNodes):null,a,i?i.__e:n.firstChild,r,o),oe(a,n.__k,o),n.__k.props.children=null}e={__e:function(e,t,n,r){for(var a,o,s;t=t.__;)if((a=t.__c)&&!(1&a.__g)){a.__g|=4;try{if((s=(o=a.constructor)&&o.getDerivedStateFromError)&&a.setState(o.getDerivedStateFromError(e)),a.componentDidCatch&&(a.componentDidCatch(e,r||{}),s=1),s&&8&a.__g)return void(a.__g|=2)}catch(t){e=t}}throw i=0,e}},t=0,x.prototype.setState=function(e,t){var n=this.__s;n&&n!=this.state||(n=this.__s=g({},this.state)),typeof e==`function`&&(e=e(g({},n),this.props)),e&&(g(n,e),this.__v&&(t&&this.__k.push(t),T(this)))},x.prototype.forceUpdate=function(e){this.__v&&(this.__g|=4,e&&this.__h.push(e),T(this))},x.prototype.render=b,n=[],i=0,a=function(e,t){return e.__v.__b-t.__v.__b},o=Symbol(),s=/(PointerCapture)$|Capture$/i,c=0,l={};var N=function(e,t,n,r){var i;t[0]=0;for(var a=1;a<t.length;a++){var o=t[a++],s=t[a]?(t[0]|=o?1:2,n[t[a++]]):t[++a];o===3?r[0]=s:o===4?r[1]=Object.assign(r[1]||{},s):o===5?(r[1]=r[1]||{})[t[++a]]=s:o===6?r[1][t[++a]]+=s+``:o?(i=e.apply(s,N(e,s,n,[``,null])),r.push(i),s[0]?t[0]|=2:(t[a-2]=0,t[a]=i)):r.push(s)}return r},ue=new Map;function de(e){var t=ue.get(this);return t||(t=new Map,ue.set(this,t)),(t=N(this,t.get(e)||(t.set(e,t=function(e){for(var t,n,r=1,i=``,a=``,o=[0],s=function(e){r===1&&(e||(i=i.replace(/^\s*\n\s*|\s*\n\s*$/g,``)))?o.push(0,e,i):r===3&&(e||i)?(o.push(3,e,i),r=2):r===2&&i===`...`&&e?o.push(4,e,0):r===2&&i&&!e?o.push(5,0,!0,i):r>=5&&((i||!e&&r===5)&&(o.push(r,0,i,n),r=6),e&&(o.push(r,e,0,n),r=6)),i=``},c=0;c<e.length;c++){c&&(r===1&&s(),s(c));for(var l=0;l<e[c].length;l++)t=e[c][l],r===1?t===`<`?(s(),o=[o],r=3):i+=t:r===4?i===`--`&&t===`>`?(r=1,i=``):i=t+i[0]:a?t===a?a=``:i+=t:t===`"`||t===`'`?a=t:t===`>`?(s(),r=1):r&&(t===`=`?(r=5,n=i,i=``):t===`/`&&(r<5||e[c][l+1]===`>`)?(s(),r===3&&(o=o[0]),r=o,(o=o[0]).push(2,0,r),r=0):t===` `||t===`	`||t===`
`||t===`\r`?(s(),r=2):i+=t),r===3&&i===`!--`&&(r=4,o=o[0])}return s(),o}(e)),t),arguments,[])).length>1?t:t[0]}var P=de.bind(v),fe,F,pe,me,he=Object.is,ge=0,_e=[],ve=[],I=e,ye=I.__b,be=I.__r,xe=I.diffed,Se=I.__c,Ce=I.unmount,we=I.__;function Te(e,t){I.__h&&I.__h(F,e,ge||t),ge=0;var n=F.__H||(F.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function L(e){return ge=1,Ee(Re,e)}function Ee(e,t,n){var r=Te(fe++,2);if(r.t=e,!r.__c&&(r.__=[n?n(t):Re(void 0,t),function(e){var t=(r.__N||r.__)[0],n=r.t(t,e);he(t,n)||(r.__N=[n,r.__[1]],r.__c.setState({}))}],r.__c=F,!F.__f)){F.__f=!0;var i=F.shouldComponentUpdate;F.shouldComponentUpdate=function(e,t,n){var r=this.__H;if(!r)return!0;var a=!1,o=this.props!=e;if(r.__.some(function(e){e.__N&&(a=!0,he(e.__[0],e.__N[0])||(o=!0))}),i){var s=i.call(this,e,t,n);return a?s||o:s}return!a||o}}return r.__}function De(e,t){var n=Te(fe++,3);!I.__s&&Le(n.__H,t)&&(n.__P=!0,n.__=e,n.u=t,F.__H.__h.push(n))}function Oe(e){return ge=5,ke(function(){return{current:e}},[])}function ke(e,t){var n=Te(fe++,7);return Le(n.__H,t)&&(n.__=e(),n.__H=t),n.__}function Ae(e,t){return ge=8,ke(function(){return e},t)}function je(){var e;do{for(;e=ve.shift();)try{Fe(e)}catch(t){I.__e(t,{__:(e=e.__P)&&e.__v})}for(;e=_e.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(Fe),t.__h.some(Ie),t.__h=[]}catch(n){t.__h=[],I.__e(n,e.__v)}}}while(ve.length)}I.__b=function(e){F=null,ye&&ye(e)},I.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),we&&we(e,t)},I.__r=function(e){be&&be(e),fe=0;var t=(F=e.__c).__H;t&&(pe==F?F.__h=[]:(t.__h.some(Fe),t.__h.some(Ie),fe=0),t.__h=[],t.__.some(function(e){e.__N&&(e.__=e.__N),e.u=e.__N=void 0})),pe=F},I.diffed=function(e){xe&&xe(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&Pe(_e.push(t)),t.__H.__.some(function(e){e.u&&(e.__H=e.u)})),pe=F=null},I.__c=function(e,t){t.some(function(e){try{e.__h.some(Fe),e.__h=e.__h.filter(function(e){return!e.__||Ie(e)})}catch(t){e.__h=[function(){throw t}]}}),Se&&Se(e,t)},I.unmount=function(e){Ce&&Ce(e);var t,n,r=e.__c;r&&r.__H&&(r.__H.__.some(function(r){try{if(r.__P&&r.__c){if(n===void 0){for(n=e.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n&&=n.__c}r.__P=n,Pe(ve.push(r))}else Fe(r)}catch(e){t=e}}),r.__H=void 0,t&&I.__e(t,r.__v))};var Me=typeof requestAnimationFrame==`function`;function Ne(e){var t,n=function(){clearTimeout(r),Me&&cancelAnimationFrame(t),setTimeout(e)},r=setTimeout(n,35);Me&&(t=requestAnimationFrame(n))}function Pe(e){e!=1&&me==I.requestAnimationFrame||((me=I.requestAnimationFrame)||Ne)(je)}function Fe(e){var t=F,n=e.__c;typeof n==`function`&&(e.__c=void 0,n()),F=t}function Ie(e){var t=F;e.__c=e.__(),F=t}function Le(e,t){return!e||e.length!=t.length||t.some(function(t,n){return!he(t,e[n])})}function Re(e,t){return typeof t==`function`?t(e):t}var ze=`stend.operatorToken`,R={token:()=>sessionStorage.getItem(ze)||``,set:e=>sessionStorage.setItem(ze,e),clear:()=>sessionStorage.removeItem(ze),onLogout:()=>{}},Be=class extends Error{constructor(e,t,n){super(n),this.status=e,this.kind=t}},Ve=`/operator/v1/`;function z(e){let t=new URLSearchParams;for(let[n,r]of Object.entries(e))r!=null&&r!==``&&t.set(n,String(r));let n=t.toString();return n?`?`+n:``}async function He(e,t,n,r){let i={Authorization:`Bearer `+r},a;return n!==void 0&&(i[`Content-Type`]=`application/json`,a=JSON.stringify(n)),fetch(Ve+t,{method:e,headers:i,body:a,cache:`no-store`,credentials:`omit`})}async function Ue(e){let t=``,n=e.statusText;try{let r=await e.json();t=r.error.kind,n=r.error.message}catch{}return new Be(e.status,t,n)}async function B(e,t,n){let r=await He(e,t,n,R.token());if(r.status===401&&(R.clear(),R.onLogout()),!r.ok)throw await Ue(r);return r.status===204?null:r.json()}async function We(e){let t=await He(`GET`,`clock`,void 0,e);if(!t.ok)throw await Ue(t);R.set(e)}async function Ge(e,t){let n=await He(`GET`,e,void 0,R.token());if(!n.ok)throw await Ue(n);let r=URL.createObjectURL(await n.blob()),i=document.createElement(`a`);i.href=r,i.download=t,document.body.append(i),i.click(),i.remove(),setTimeout(()=>URL.revokeObjectURL(r),6e4)}var Ke={en:{"app.title":`stend console`,"nav.stand":`Stand`,"nav.journal":`Journal`,"nav.migrantExam":`Migrant exam`,"nav.fssp":`FSSP`,"nav.reestro":`Reestro`,"nav.motivity":`Motivity`,"nav.language":`Language`,"nav.main":`Sections`,"nav.notFound":`No such page`,"nav.skip":`Skip to content`,"login.title":`Sign in to the stand`,"login.explain":`Enter the operator token (STEND_OPERATOR_TOKEN). It is kept in this tab only, until it closes.`,"login.token":`Operator token`,"login.enter":`Sign in`,"login.logout":`Sign out`,"common.all":`all`,"common.create":`Create`,"common.created":`Created`,"common.delete":`Delete`,"common.empty":`Nothing here.`,"common.loading":`Loading…`,"common.next":`Next page`,"common.prev":`Previous page`,"common.page":e=>`page ${e}`,"common.pages":`Pages`,"common.no":`no`,"common.yes":`yes`,"common.refresh":`Refresh`,"common.search":`Search`,"common.shownOnce":`Shown once: the stand keeps only its hash.`,"common.updated":`Updated`,"stand.title":`The stand`,"clock.title":`Clock`,"clock.now":`Now`,"clock.offset":`Ahead of real time by`,"clock.advanceBy":`Move forward by`,"clock.advanceHint":`25h, 90m, 1h30m`,"clock.advance":`Move forward`,"clock.setAt":`Set to`,"clock.setHint":`RFC 3339 or a day`,"clock.set":`Set`,"clock.release":`Back to real time`,"faults.title":`Faults`,"faults.rules":`Fault rules`,"faults.clear":`Clear all faults`,"faults.name":`Name`,"faults.anyAPI":`every API`,"faults.match":`Matches`,"faults.effect":`Effect`,"faults.cut":`cut the connection`,"faults.failsJob":`fails the job`,"faults.times":`Times`,"faults.matched":`Matched`,"faults.injected":`Hit`,"faults.delete":`Delete fault`,"faults.add":`Add a fault`,"faults.method":`Method`,"faults.path":`Path`,"faults.pathHint":`a prefix ends with *`,"faults.credential":`Credential`,"faults.field":`Body field`,"faults.value":`Field value`,"faults.job":`Job`,"faults.status":`Status`,"faults.message":`Message`,"faults.latency":`Latency, ms`,"faults.retryAfter":`Retry-After, s`,"faults.probability":`Probability`,"faults.put":`Add fault`,"faults.added":e=>`Fault "${e}" is in force.`,"snap.title":`Snapshots and reset`,"snap.list":`Snapshots`,"snap.name":`Snapshot name`,"snap.takenAt":`Taken at`,"snap.rows":`Rows`,"snap.restore":`Restore`,"snap.take":`Take snapshot`,"snap.reset":`Reset the stand to its seed`,"snap.confirmRestore":e=>`Replace the whole stand with snapshot "${e}"?`,"snap.confirmDelete":e=>`Delete snapshot "${e}"?`,"snap.confirmReset":`Put the whole stand back to its seed? Everything else is lost.`,"snap.done":(e,t)=>`Done: ${e} in ${t}.`,"journal.title":`Request journal`,"journal.filters":`Journal filters`,"journal.route":`Route`,"journal.path":`Path`,"journal.status":`Status`,"journal.credential":`Credential`,"journal.field":`Body field`,"journal.value":`Field value`,"journal.apply":`Apply`,"journal.live":`Live`,"journal.shown":e=>`Entries shown: ${e}, newest first.`,"journal.at":`Time`,"journal.request":`Request`,"journal.took":`Took`,"journal.older":`Older entries`,"journal.cut":`cut`,"journal.fault":e=>`fault ${e}`,"journal.requestId":`Request id`,"journal.query":`Query`,"journal.reason":`Reason of the refusal`,"journal.faultRule":`Fault rule`,"journal.copyCurl":`Copy as curl`,"journal.copied":`Copied.`,"journal.copyFailed":`The browser refused the clipboard: copy the command below.`,"journal.headers":`Headers (secrets masked)`,"journal.body":`Body`,"journal.answer":`Answer`,"me.title":`Migrant exam`,"me.organizations":`Organizations`,"me.searchOrgs":`Name or username contains`,"me.name":`Name`,"me.username":`Username`,"me.create":`New organization`,"me.credentials":`Credentials`,"me.areasOf":e=>`Areas of ${e}`,"me.revoke":`Revoke`,"me.areaId":`Area id`,"me.grant":`Grant area`,"me.reports":`Reports`,"me.reportId":`Report id`,"me.organizationId":`Organization id`,"me.period":`Week from`,"me.versions":`Versions`,"me.report":e=>`Report ${e}`,"me.sideBySide":`Every version side by side (changed fields marked)`,"me.field":`Field`,"me.version":e=>`Version ${e}`,"me.rows":e=>`${e} rows`,"me.document":`Document (hash)`,"me.examDate":`Exam date`,"me.examType":`Exam type`,"me.examStatus":`Exam status`,"me.rowsChanged":`Rows a version has that the one before did not are marked.`,"fssp.title":`FSSP data bank`,"fssp.bank":e=>`The bank holds ${e} proceedings.`,"fssp.tokens":`Tokens`,"fssp.name":`Name`,"fssp.limits":`Limits`,"fssp.hour":`hour`,"fssp.day":`day`,"fssp.groups":`groups`,"fssp.expires":`Expires`,"fssp.revoked":`Revoked`,"fssp.usage":`Use`,"fssp.revoke":`Revoke`,"fssp.issue":`Issue token`,"fssp.singlePerHour":`Single searches an hour`,"fssp.singlePerDay":`Single searches a day`,"fssp.groupPerDay":`Group requests a day`,"fssp.token":`Token`,"fssp.usageOf":e=>`Use of "${e}"`,"fssp.window":`Window`,"fssp.used":`Used`,"fssp.freesAt":`Next frees at`,"fssp.tasks":`Tasks (kept 24 hours)`,"fssp.tokenId":`Token id`,"fssp.status":`Status`,"fssp.task":`Task`,"fssp.kind":`Kind`,"fssp.group":`group`,"fssp.single":`single`,"fssp.progress":`Progress`,"fssp.taskTitle":e=>`Task ${e}`,"fssp.finished":`Finished`,"fssp.requests":`Requests`,"fssp.results":`Results`,"fssp.done":`done`,"fssp.running":`running`,"fssp.queued":`queued`,"fssp.doneWithErrors":`done with errors`,"re.title":`Reestro`,"re.organizations":`Organizations`,"re.name":`Name`,"re.createOrg":`Create organization`,"re.keys":`API keys`,"re.grants":`Organizations granted`,"re.revoked":`Revoked`,"re.revoke":`Revoke`,"re.issue":`Issue key`,"re.key":`API key`,"re.checksOf":e=>`Checks of ${e}`,"re.checks":`Checks`,"re.state":`State`,"re.regions":`Regions`,"re.check":e=>`Check ${e}`,"re.finished":`Finished`,"re.failure":`Failure`,"re.subject":`Subject`,"re.found":`What was found`,"mo.title":`Motivity`,"mo.locales":`Locales`,"mo.identifier":`Identifier`,"mo.tokenSet":`Public token set`,"mo.catalog":`Prize catalog until`,"mo.users":`Users`,"mo.searchUsers":`Identifier, name or email contains`,"mo.name":`Name`,"mo.state":`State`,"mo.deleted":`deleted`,"mo.active":`active`,"mo.inactive":`inactive`,"mo.addUser":`Add or update a user`,"mo.putUser":`Save user`,"mo.userSaved":e=>`User ${e} saved.`,"mo.badges":`Badges`,"mo.badgeTitle":`Title`,"mo.grades":`Grades`,"mo.holders":`Holders`,"mo.holdersOf":e=>`Holders of "${e}"`,"mo.badge":`Badge`,"mo.since":`Since`,"mo.files":`Files`,"mo.fileName":`Name`,"mo.size":`Bytes`,"mo.type":`Type`,"mo.download":`Download`,"mo.ledger":`Ledger`,"mo.balance":`Balance`,"mo.user":`User id`,"mo.amount":`Amount`,"mo.after":`Balance after`,"mo.message":`Message`,"mo.badgeHistory":`Badge history`,"mo.goals":`Goals`,"mo.goalTitle":`Title`,"mo.progress":`Progress`,"mo.deadline":`Deadline`,"mo.completed":`completed`,"mo.approved":`approved`,"mo.draft":`not approved`,"mo.goalHistory":`Goal history`,"mo.goal":`Goal`,"mo.action":`Action`,"mo.actor":`By`,"mo.changes":`Changes`,"qu.title":`Quests`,"qu.quest":`Quest`,"qu.mentors":`Mentors`,"qu.visible":`Shown now`,"qu.deadline":`Deadline`,"qu.open":`Open`,"qu.always":`always`,"qu.tasks":`Tasks and their students by status`,"qu.task":`Task`,"qu.score":`Score`,"qu.students":`Students`,"qu.student":`Student`,"qu.assigned":`Assigned`,"qu.status":`Status`,"qu.awards":`Awards`,"qu.kind":`Kind`,"qu.recipient":`Recipient`,"qu.thread":(e,t)=>`Task ${e} of ${t}`,"qu.inProgress":`in progress`,"qu.checking":`checking`,"qu.redo":`to redo`,"qu.complete":`complete`,"qu.fail":`failed`,"rp.title":`Reports`,"rp.report":e=>`Report ${e}`,"rp.type":`Type`,"rp.locale":`Locale`,"rp.state":`State`,"rp.size":`Bytes`,"rp.finished":`Finished`,"rp.expires":`Expires`,"rp.error":`Error`,"rp.filters":`Filters`,"rp.noFilters":`None were sent.`,"rp.explain":`Reports created through the public API (POST /public/api/v1/reports/create/{type}), kept until they expire; expired ones the expiry job has not removed yet are listed too.`,"rp.processing":`being built`,"rp.ready":`ready`,"rp.failed":`failed`,"rp.download":e=>`Download report ${e}`,"rp.delete":e=>`Delete report ${e}`,"rp.deleted":e=>`Report ${e} deleted.`,"rp.confirmDelete":e=>`Delete report ${e}? Its bytes go with it, and the public API answers "Report not found" for it.`,"rp.curlExplain":`The same operator calls from a shell: set STEND_OPERATOR_TOKEN to the operator token first. Download a large report this way: the browser holds the whole file in memory.`,"rp.curlRecord":`Read the record`,"rp.curlData":`Download the report`,"rp.curlDelete":`Delete the report`},ru:{"app.title":`Консоль stend`,"nav.stand":`Стенд`,"nav.journal":`Журнал`,"nav.migrantExam":`Экзамен мигрантов`,"nav.fssp":`ФССП`,"nav.reestro":`Реестро`,"nav.motivity":`Мотивити`,"nav.language":`Язык`,"nav.main":`Разделы`,"nav.notFound":`Такой страницы нет`,"nav.skip":`К содержимому`,"login.title":`Вход в стенд`,"login.explain":`Введите токен оператора (STEND_OPERATOR_TOKEN). Он хранится только в этой вкладке, пока она открыта.`,"login.token":`Токен оператора`,"login.enter":`Войти`,"login.logout":`Выйти`,"common.all":`все`,"common.create":`Создать`,"common.created":`Создано`,"common.delete":`Удалить`,"common.empty":`Пусто.`,"common.loading":`Загрузка…`,"common.next":`Следующая страница`,"common.prev":`Предыдущая страница`,"common.page":e=>`страница ${e}`,"common.pages":`Страницы`,"common.no":`нет`,"common.yes":`да`,"common.refresh":`Обновить`,"common.search":`Найти`,"common.shownOnce":`Показано один раз: стенд хранит только хеш.`,"common.updated":`Изменено`,"stand.title":`Стенд`,"clock.title":`Часы`,"clock.now":`Сейчас`,"clock.offset":`Впереди реального времени на`,"clock.advanceBy":`Перевести вперёд на`,"clock.advanceHint":`25h, 90m, 1h30m`,"clock.advance":`Перевести`,"clock.setAt":`Установить`,"clock.setHint":`RFC 3339 или день`,"clock.set":`Установить`,"clock.release":`Вернуть реальное время`,"faults.title":`Сбои`,"faults.rules":`Правила сбоев`,"faults.clear":`Убрать все сбои`,"faults.name":`Имя`,"faults.anyAPI":`любой API`,"faults.match":`Условие`,"faults.effect":`Действие`,"faults.cut":`оборвать соединение`,"faults.failsJob":`проваливает задание`,"faults.times":`Раз`,"faults.matched":`Совпало`,"faults.injected":`Сработало`,"faults.delete":`Удалить сбой`,"faults.add":`Добавить сбой`,"faults.method":`Метод`,"faults.path":`Путь`,"faults.pathHint":`префикс оканчивается на *`,"faults.credential":`Учётные данные`,"faults.field":`Поле тела`,"faults.value":`Значение поля`,"faults.job":`Задание`,"faults.status":`Статус`,"faults.message":`Сообщение`,"faults.latency":`Задержка, мс`,"faults.retryAfter":`Retry-After, с`,"faults.probability":`Вероятность`,"faults.put":`Добавить сбой`,"faults.added":e=>`Сбой «${e}» действует.`,"snap.title":`Снимки и сброс`,"snap.list":`Снимки`,"snap.name":`Имя снимка`,"snap.takenAt":`Снят`,"snap.rows":`Строк`,"snap.restore":`Восстановить`,"snap.take":`Снять снимок`,"snap.reset":`Сбросить стенд к начальным данным`,"snap.confirmRestore":e=>`Заменить весь стенд снимком «${e}»?`,"snap.confirmDelete":e=>`Удалить снимок «${e}»?`,"snap.confirmReset":`Вернуть весь стенд к начальным данным? Всё остальное пропадёт.`,"snap.done":(e,t)=>`Готово: ${e} за ${t}.`,"journal.title":`Журнал запросов`,"journal.filters":`Фильтры журнала`,"journal.route":`Маршрут`,"journal.path":`Путь`,"journal.status":`Статус`,"journal.credential":`Учётные данные`,"journal.field":`Поле тела`,"journal.value":`Значение поля`,"journal.apply":`Применить`,"journal.live":`В реальном времени`,"journal.shown":e=>`Показано записей: ${e}, новые сверху.`,"journal.at":`Время`,"journal.request":`Запрос`,"journal.took":`Длительность`,"journal.older":`Более ранние записи`,"journal.cut":`обрыв`,"journal.fault":e=>`сбой ${e}`,"journal.requestId":`Id запроса`,"journal.query":`Параметры`,"journal.reason":`Причина отказа`,"journal.faultRule":`Правило сбоя`,"journal.copyCurl":`Скопировать как curl`,"journal.copied":`Скопировано.`,"journal.copyFailed":`Браузер не дал доступ к буферу: скопируйте команду ниже.`,"journal.headers":`Заголовки (секреты скрыты)`,"journal.body":`Тело`,"journal.answer":`Ответ`,"me.title":`Экзамен мигрантов`,"me.organizations":`Организации`,"me.searchOrgs":`Имя или логин содержит`,"me.name":`Название`,"me.username":`Логин`,"me.create":`Новая организация`,"me.credentials":`Учётные данные`,"me.areasOf":e=>`Площадки: ${e}`,"me.revoke":`Отозвать`,"me.areaId":`Id площадки`,"me.grant":`Выдать площадку`,"me.reports":`Отчёты`,"me.reportId":`Id отчёта`,"me.organizationId":`Id организации`,"me.period":`Неделя с`,"me.versions":`Версии`,"me.report":e=>`Отчёт ${e}`,"me.sideBySide":`Все версии рядом (изменённые поля отмечены)`,"me.field":`Поле`,"me.version":e=>`Версия ${e}`,"me.rows":e=>`строк: ${e}`,"me.document":`Документ (хеш)`,"me.examDate":`Дата экзамена`,"me.examType":`Вид экзамена`,"me.examStatus":`Результат`,"me.rowsChanged":`Отмечены строки, которых не было в предыдущей версии.`,"fssp.title":`Банк данных ФССП`,"fssp.bank":e=>`В банке производств: ${e}.`,"fssp.tokens":`Токены`,"fssp.name":`Имя`,"fssp.limits":`Лимиты`,"fssp.hour":`час`,"fssp.day":`сутки`,"fssp.groups":`групповые`,"fssp.expires":`Истекает`,"fssp.revoked":`Отозван`,"fssp.usage":`Расход`,"fssp.revoke":`Отозвать`,"fssp.issue":`Выдать токен`,"fssp.singlePerHour":`Одиночных поисков в час`,"fssp.singlePerDay":`Одиночных поисков в сутки`,"fssp.groupPerDay":`Групповых запросов в сутки`,"fssp.token":`Токен`,"fssp.usageOf":e=>`Расход «${e}»`,"fssp.window":`Окно`,"fssp.used":`Израсходовано`,"fssp.freesAt":`Освободится`,"fssp.tasks":`Задачи (хранятся 24 часа)`,"fssp.tokenId":`Id токена`,"fssp.status":`Статус`,"fssp.task":`Задача`,"fssp.kind":`Вид`,"fssp.group":`групповая`,"fssp.single":`одиночная`,"fssp.progress":`Ход`,"fssp.taskTitle":e=>`Задача ${e}`,"fssp.finished":`Завершена`,"fssp.requests":`Запросы`,"fssp.results":`Результаты`,"fssp.done":`готово`,"fssp.running":`выполняется`,"fssp.queued":`в очереди`,"fssp.doneWithErrors":`готово с ошибками`,"re.title":`Реестро`,"re.organizations":`Организации`,"re.name":`Название`,"re.createOrg":`Создать организацию`,"re.keys":`API-ключи`,"re.grants":`Доступные организации`,"re.revoked":`Отозван`,"re.revoke":`Отозвать`,"re.issue":`Выдать ключ`,"re.key":`API-ключ`,"re.checksOf":e=>`Проверки: ${e}`,"re.checks":`Проверки`,"re.state":`Состояние`,"re.regions":`Регионы`,"re.check":e=>`Проверка ${e}`,"re.finished":`Завершена`,"re.failure":`Ошибка`,"re.subject":`Субъект`,"re.found":`Что найдено`,"mo.title":`Мотивити`,"mo.locales":`Языки`,"mo.identifier":`Идентификатор`,"mo.tokenSet":`Публичный токен задан`,"mo.catalog":`Каталог призов до`,"mo.users":`Пользователи`,"mo.searchUsers":`Идентификатор, имя или почта содержит`,"mo.name":`Имя`,"mo.state":`Состояние`,"mo.deleted":`удалён`,"mo.active":`активен`,"mo.inactive":`неактивен`,"mo.addUser":`Добавить или изменить пользователя`,"mo.putUser":`Сохранить пользователя`,"mo.userSaved":e=>`Пользователь ${e} сохранён.`,"mo.badges":`Бейджи`,"mo.badgeTitle":`Название`,"mo.grades":`Уровни`,"mo.holders":`Обладатели`,"mo.holdersOf":e=>`Обладатели «${e}»`,"mo.badge":`Бейдж`,"mo.since":`С`,"mo.files":`Файлы`,"mo.fileName":`Имя`,"mo.size":`Байт`,"mo.type":`Тип`,"mo.download":`Скачать`,"mo.ledger":`Журнал баллов`,"mo.balance":`Баланс`,"mo.user":`Id пользователя`,"mo.amount":`Сумма`,"mo.after":`Баланс после`,"mo.message":`Сообщение`,"mo.badgeHistory":`История бейджей`,"mo.goals":`Цели`,"mo.goalTitle":`Название`,"mo.progress":`Прогресс`,"mo.deadline":`Срок`,"mo.completed":`выполнена`,"mo.approved":`утверждена`,"mo.draft":`не утверждена`,"mo.goalHistory":`История целей`,"mo.goal":`Цель`,"mo.action":`Действие`,"mo.actor":`Кто`,"mo.changes":`Изменения`,"qu.title":`Квесты`,"qu.quest":`Квест`,"qu.mentors":`Наставники`,"qu.visible":`Виден сейчас`,"qu.deadline":`Срок`,"qu.open":`Открыт`,"qu.always":`всегда`,"qu.tasks":`Задания и их ученики по статусам`,"qu.task":`Задание`,"qu.score":`Баллы`,"qu.students":`Ученики`,"qu.student":`Ученик`,"qu.assigned":`Назначен`,"qu.status":`Статус`,"qu.awards":`Награды`,"qu.kind":`Вид`,"qu.recipient":`Получатель`,"qu.thread":(e,t)=>`Задание ${e}: ${t}`,"qu.inProgress":`в работе`,"qu.checking":`на проверке`,"qu.redo":`на доработке`,"qu.complete":`выполнено`,"qu.fail":`провалено`,"rp.title":`Отчёты`,"rp.report":e=>`Отчёт ${e}`,"rp.type":`Тип`,"rp.locale":`Язык`,"rp.state":`Состояние`,"rp.size":`Байт`,"rp.finished":`Завершён`,"rp.expires":`Истекает`,"rp.error":`Ошибка`,"rp.filters":`Фильтры`,"rp.noFilters":`Не переданы.`,"rp.explain":`Отчёты, созданные через публичный API (POST /public/api/v1/reports/create/{type}), хранятся до истечения срока; истёкшие, которые задание очистки ещё не удалило, тоже в списке.`,"rp.processing":`строится`,"rp.ready":`готов`,"rp.failed":`не построен`,"rp.download":e=>`Скачать отчёт ${e}`,"rp.delete":e=>`Удалить отчёт ${e}`,"rp.deleted":e=>`Отчёт ${e} удалён.`,"rp.confirmDelete":e=>`Удалить отчёт ${e}? Его данные удалятся вместе с ним, а публичный API будет отвечать на него «Report not found».`,"rp.curlExplain":`Те же вызовы API оператора из оболочки: сначала задайте в STEND_OPERATOR_TOKEN токен оператора. Большой отчёт скачивайте так: браузер держит весь файл в памяти.`,"rp.curlRecord":`Прочитать запись`,"rp.curlData":`Скачать отчёт`,"rp.curlDelete":`Удалить отчёт`}},qe=[`ru`,`en`],Je=`stend.lang`;function Ye(){let e=localStorage.getItem(Je);return qe.includes(e)?e:(navigator.language||`ru`).toLowerCase().startsWith(`ru`)?`ru`:`en`}var Xe=Ye(),Ze=()=>Xe;function Qe(e){Xe=e,localStorage.setItem(Je,e),dispatchEvent(new Event(`stend-lang`))}function V(e,...t){let n=Ke[Xe][e]??Ke.en[e]??e;return typeof n==`function`?n(...t):n}function $e(e){return new Date(e).toLocaleString(Xe===`ru`?`ru-RU`:`en-GB`,{dateStyle:`short`,timeStyle:`medium`,timeZone:`UTC`})+` UTC`}function et(e){history.pushState(null,``,e),dispatchEvent(new PopStateEvent(`popstate`))}function H({href:e,children:t,...n}){return P`<a href=${e} onClick=${t=>{t.button!==0||t.metaKey||t.ctrlKey||t.shiftKey||t.altKey||(t.preventDefault(),et(e))}} ...${n}>${t}</a>`}function U({title:e,children:t,id:n}){return P`<section class="card" aria-labelledby=${n}>
    <h2 id=${n}>${e}</h2>
    ${t}
  </section>`}function W({error:e}){if(!e)return null;let t=e.status?` (${e.status}${e.kind?` `+e.kind:``})`:``;return P`<p class="error" role="alert">${e.message}${t}</p>`}function tt({text:e}){return e?P`<p class="done" role="status">${e}</p>`:null}function G(e,t){let[n,r]=L({data:null,error:null,loading:!0}),[i,a]=L(0);De(()=>{let t=!0;return r(e=>({...e,loading:!0})),e().then(e=>t&&r({data:e,error:null,loading:!1}),e=>t&&r({data:null,error:e,loading:!1})),()=>{t=!1}},[...t,i]);let o=Ae(()=>a(e=>e+1),[]);return{...n,reload:o}}function K(e,t){let[n,r]=L({busy:!1,error:null,result:null}),i=async(...n)=>{r({busy:!0,error:null,result:null});try{let i=await e(...n);return r({busy:!1,error:null,result:i}),t&&t(i),i}catch(e){r({busy:!1,error:e,result:null});return}};return{...n,run:i}}function q({caption:e,columns:t,rows:n,rowKey:r,rowClass:i,empty:a,loading:o}){return!n||n.length===0?o?P`<p class="muted" aria-busy="true">${V(`common.loading`)}</p>`:P`<p class="muted">${a||V(`common.empty`)}</p>`:P`<div class="scroll" aria-busy=${o?`true`:void 0}><table>
    ${e&&P`<caption>${e}</caption>`}
    <thead><tr>${t.map(e=>P`<th scope="col">${e.title}</th>`)}</tr></thead>
    <tbody>
      ${n.map((e,n)=>P`<tr key=${r?r(e):n} class=${i?i(e):void 0}>${t.map(t=>P`<td>${t.value(e)}</td>`)}</tr>`)}
    </tbody>
  </table></div>`}function J(){let[e,t]=L([``]);return{cursor:e[e.length-1],page:e.length,next:e=>t(t=>[...t,e]),prev:()=>t(e=>e.length>1?e.slice(0,-1):e),reset:()=>t([``])}}function Y({pager:e,rows:t,limit:n,cursorOf:r}){let i=t&&t.length===n;return P`<nav class="pager" aria-label=${V(`common.pages`)}>
    <button type="button" disabled=${e.page<=1} onClick=${e.prev}>${V(`common.prev`)}</button>
    <span>${V(`common.page`,e.page)}</span>
    <button type="button" disabled=${!i} onClick=${()=>e.next(r(t[t.length-1]))}>${V(`common.next`)}</button>
  </nav>`}function X({label:e,children:t,hint:n}){return P`<label class="field"><span>${e}</span>${t}${n&&P`<small>${n}</small>`}</label>`}function nt({value:e,label:t}){return P`<pre class="json" tabindex="0" aria-label=${t||`JSON`}>${JSON.stringify(e,null,2)}</pre>`}function Z({at:e}){return e?P`<time datetime=${e}>${$e(e)}</time>`:P`<span class="muted">—</span>`}function Q(e){return Object.fromEntries(new FormData(e).entries())}function rt({label:e,value:t}){return P`<div class="secret" role="status">
    <strong>${e}</strong> <code>${t}</code>
    <p class="muted">${V(`common.shownOnce`)}</p>
  </div>`}function it(){let[e,t]=L(``);return[e,async e=>{try{await navigator.clipboard.writeText(e),t(V(`journal.copied`))}catch{t(V(`journal.copyFailed`))}}]}var at=(e,t)=>()=>{confirm(e)&&t()};function ot(){return P`<div class="page">
    <h1>${V(`stand.title`)}</h1>
    <${st} />
    <${ut} />
    <${dt} />
  </div>`}function st(){let e=G(()=>B(`GET`,`clock`),[]),t=K(e=>B(`POST`,`clock/advance`,{by:e}),e.reload),n=K(e=>B(`POST`,`clock/set`,{at:e}),e.reload),r=K(()=>B(`POST`,`clock/release`),e.reload),i=e.data;return P`<${U} id="clock" title=${V(`clock.title`)}>
    <${W} error=${e.error||t.error||n.error||r.error} />
    ${i&&P`<dl class="facts">
      <dt>${V(`clock.now`)}</dt><dd data-testid="clock-now"><${Z} at=${i.now} /></dd>
      <dt>${V(`clock.offset`)}</dt><dd data-testid="clock-offset">${i.offset}</dd>
    </dl>`}
    <div class="row">
      <form class="inline" onSubmit=${e=>{e.preventDefault(),t.run(Q(e.target).by)}}>
        <${X} label=${V(`clock.advanceBy`)} hint=${V(`clock.advanceHint`)}>
          <input name="by" required placeholder="25h" autocomplete="off" />
        <//>
        <button type="submit" disabled=${t.busy}>${V(`clock.advance`)}</button>
      </form>
      <form class="inline" onSubmit=${e=>{e.preventDefault(),n.run(Q(e.target).at)}}>
        <${X} label=${V(`clock.setAt`)} hint=${V(`clock.setHint`)}>
          <input name="at" required placeholder="2025-06-11T09:00:00+03:00" autocomplete="off" />
        <//>
        <button type="submit" disabled=${n.busy}>${V(`clock.set`)}</button>
      </form>
      <button type="button" onClick=${()=>r.run()} disabled=${r.busy}>${V(`clock.release`)}</button>
    </div>
  <//>`}var ct=[``,`migrant-exam`,`fssp`,`motivity`,`motivity-files`,`reestro`];function lt(e){let t={name:e.name,api:e.api};for(let n of[`method`,`path`,`credential`,`field`,`value`,`message`,`job`])e[n]&&(t[n]=e[n]);for(let n of[`status`,`latencyMs`,`times`,`retryAfterS`])e[n]&&(t[n]=Number(e[n]));return e.probability&&(t.probability=Number(e.probability)),e.cut&&(t.cut=!0),t}function ut(){let e=G(()=>B(`GET`,`faults`),[]),t=K(e=>B(`POST`,`faults`,e),e.reload),n=K(e=>B(`DELETE`,`faults/`+e),e.reload),r=K(()=>B(`DELETE`,`faults`),e.reload),i=e.data?e.data.faults:[];return P`<${U} id="faults" title=${V(`faults.title`)}>
    <${W} error=${e.error||t.error||n.error||r.error} />
    <div class="row"><button type="button" onClick=${e.reload}>${V(`common.refresh`)}</button>
      <button type="button" class="danger" disabled=${!i.length} onClick=${()=>r.run()}>${V(`faults.clear`)}</button></div>
    <${q} loading=${e.loading} caption=${V(`faults.rules`)} rows=${i} rowKey=${e=>e.id} columns=${[{title:V(`faults.name`),value:e=>e.name},{title:`API`,value:e=>e.api||V(`faults.anyAPI`)},{title:V(`faults.match`),value:e=>[e.method,e.path,e.credential,e.field&&`${e.field}=${e.value}`,e.job].filter(Boolean).join(` `)},{title:V(`faults.effect`),value:e=>[e.status,e.cut&&V(`faults.cut`),e.latencyMs&&`+${e.latencyMs} ms`,e.job&&V(`faults.failsJob`)].filter(Boolean).join(`, `)},{title:V(`faults.times`),value:e=>e.times||`∞`},{title:V(`faults.matched`),value:e=>P`<span data-testid=${`fault-matched-`+e.name}>${e.matched}</span>`},{title:V(`faults.injected`),value:e=>P`<span data-testid=${`fault-injected-`+e.name}>${e.injected}</span>`},{title:``,value:e=>P`<button type="button" onClick=${()=>n.run(e.id)} aria-label=${V(`faults.delete`)+` `+e.name}>${V(`common.delete`)}</button>`}]} />
    <form class="grid" onSubmit=${e=>{e.preventDefault(),t.run(lt(Q(e.target)))}}>
      <h3 class="span">${V(`faults.add`)}</h3>
      <${X} label=${V(`faults.name`)}><input name="name" required autocomplete="off" /><//>
      <${X} label="API"><select name="api">${ct.map(e=>P`<option value=${e}>${e||V(`faults.anyAPI`)}</option>`)}</select><//>
      <${X} label=${V(`faults.method`)}><input name="method" placeholder="POST" autocomplete="off" /><//>
      <${X} label=${V(`faults.path`)} hint=${V(`faults.pathHint`)}><input name="path" placeholder="/api/v1.0/*" autocomplete="off" /><//>
      <${X} label=${V(`faults.credential`)}><input name="credential" placeholder="token Демо*" autocomplete="off" /><//>
      <${X} label=${V(`faults.field`)}><input name="field" placeholder="examinationAreaId" autocomplete="off" /><//>
      <${X} label=${V(`faults.value`)}><input name="value" autocomplete="off" /><//>
      <${X} label=${V(`faults.job`)}><select name="job"><option value="">—</option><option>fssp.task</option><option>reestro.check</option><option>motivity.report.build</option></select><//>
      <${X} label=${V(`faults.status`)}><input name="status" type="number" min="400" max="599" placeholder="503" /><//>
      <${X} label=${V(`faults.message`)}><input name="message" autocomplete="off" /><//>
      <${X} label=${V(`faults.latency`)}><input name="latencyMs" type="number" min="0" max="600000" /><//>
      <${X} label=${V(`faults.retryAfter`)}><input name="retryAfterS" type="number" min="0" /><//>
      <${X} label=${V(`faults.times`)}><input name="times" type="number" min="0" /><//>
      <${X} label=${V(`faults.probability`)}><input name="probability" type="number" min="0" max="1" step="0.01" /><//>
      <label class="check"><input type="checkbox" name="cut" /> ${V(`faults.cut`)}</label>
      <div class="span"><button type="submit" disabled=${t.busy}>${V(`faults.put`)}</button></div>
    </form>
    <${tt} text=${t.result&&V(`faults.added`,t.result.name)} />
  <//>`}function dt(){let e=G(()=>B(`GET`,`stand/snapshots`),[]),t=K(e=>B(`POST`,`stand/snapshots`,{name:e}),e.reload),n=K(e=>B(`POST`,`stand/snapshots/${encodeURIComponent(e)}/restore`),e.reload),r=K(e=>B(`DELETE`,`stand/snapshots/${encodeURIComponent(e)}`),e.reload),i=K(e=>B(`POST`,`stand/reset`,{rebuild:e}),e.reload),a=e.data?e.data.snapshots:[],o=n.result||i.result;return P`<${U} id="snapshots" title=${V(`snap.title`)}>
    <${W} error=${e.error||t.error||n.error||r.error||i.error} />
    <${q} loading=${e.loading} caption=${V(`snap.list`)} rows=${a} rowKey=${e=>e.name} columns=${[{title:V(`snap.name`),value:e=>e.name},{title:V(`snap.takenAt`),value:e=>P`<${Z} at=${e.takenAt} />`},{title:V(`snap.rows`),value:e=>e.rows},{title:``,value:e=>P`<div class="row">
        <button type="button" onClick=${at(V(`snap.confirmRestore`,e.name),()=>n.run(e.name))}>${V(`snap.restore`)}</button>
        <button type="button" class="danger" onClick=${at(V(`snap.confirmDelete`,e.name),()=>r.run(e.name))}>${V(`common.delete`)}</button>
      </div>`}]} />
    <form class="inline" onSubmit=${e=>{e.preventDefault(),t.run(Q(e.target).name)}}>
      <${X} label=${V(`snap.name`)}><input name="name" required maxlength="100" autocomplete="off" /><//>
      <button type="submit" disabled=${t.busy}>${V(`snap.take`)}</button>
    </form>
    <div class="row">
      <button type="button" class="danger" disabled=${i.busy} onClick=${at(V(`snap.confirmReset`),()=>i.run(!1))}>${V(`snap.reset`)}</button>
    </div>
    <${tt} text=${o&&V(`snap.done`,o.snapshot.name,o.took)} />
  <//>`}var ft=new Set([`host`,`content-length`,`connection`,`accept-encoding`,`te`,`trailer`,`upgrade`]);function pt(e){return`'`+e.replaceAll(`'`,`'\\''`)+`'`}function mt(e,t,n){let r=e.split(/\*\*\*|%2A%2A%2A/);return r.length===1?pt(e):(n.add(t),r.map((e,n)=>(e===``?``:pt(e))+(n<r.length-1?`"$${t}"`:``)).join(``))}var ht=/^[A-Z_][A-Z0-9_]*$/;function gt(e,t){let n=e.toLowerCase();if(n===`authorization`){let e=t.split(` `)[0].toLowerCase();return e===`basic`?`BASIC_CREDENTIALS`:e===`bearer`?`BEARER_TOKEN`:e===`reestroauth`?`REESTRO_API_KEY`:`AUTHORIZATION`}let r=n.replaceAll(`-`,`_`).toUpperCase();return ht.test(r)?r:`SECRET`}var _t={BASIC_CREDENTIALS:`base64 of username:password`,BEARER_TOKEN:`the bearer token`,REESTRO_API_KEY:`the Reestro API key`,X_API_KEY:`the organization API key`,X_AUTH_TOKEN:`the Motivity public API token (PUBLIC_API_TOKEN)`,FSSP_TOKEN:`the FSSP token`,SECRET:`the secret the journal masked here`};function vt(e,t){let n=new Set,r=t+e.path+(e.query?`?`+e.query:``),i=[`curl`,`-sS`,`-i`];(e.method!==`GET`||e.body)&&i.push(`-X`,pt(e.method)),i.push(mt(r,`FSSP_TOKEN`,n));let a={};try{a=JSON.parse(e.headers||`{}`)}catch{a={}}for(let e of Object.keys(a).sort())if(!ft.has(e.toLowerCase()))for(let t of a[e])i.push(`-H`,mt(`${e}: ${t}`,gt(e,t),n));let o=[];if(e.body){let t=new TextEncoder().encode(e.body).length;(e.bodySize>t||e.body.startsWith(`(`))&&o.push(`# the journal kept ${t} of the body's ${e.bodySize} bytes: the command sends what was kept`),i.push(`--data-binary`,mt(e.body,e.body.toLowerCase().includes(`token`)?`FSSP_TOKEN`:`SECRET`,n))}return[...[...n].sort().map(e=>`# set ${e}: ${_t[e]||`the value the journal masked`}`),...o,i.join(` `)].join(`
`)}function yt(e,t,n,r){let i=new Set,a=[`curl`,r?`-fsS`:`-sS`];return e!==`GET`&&a.push(`-X`,pt(e)),a.push(`-H`,mt(`Authorization: Bearer ***`,`STEND_OPERATOR_TOKEN`,i)),r&&a.push(`-o`,pt(r)),a.push(pt(n+t)),[`# set STEND_OPERATOR_TOKEN: the operator token`,a.join(` `)].join(`
`)}var bt=[``,`migrant-exam`,`fssp`,`motivity`,`motivity-files`,`reestro`],xt=50,St=1500,Ct=500;function wt(){let[e,t]=L({}),[{entries:n,older:r},i]=L({entries:[],older:!0}),[a,o]=L(!0),[s,c]=L(null),[l,u]=L(null),d=Oe(0),f=Oe(0);return De(()=>{let t=!1,n;d.current=0,f.current=0,i({entries:[],older:!0}),u(null),B(`GET`,`journal/newest`+z({...e,limit:xt})).then(e=>{t||(i({entries:e.entries,older:e.entries.length===xt}),d.current=e.entries.length?e.entries[0].id:0,c(null),r())},e=>!t&&c(e));async function r(){if(!t){if(a)try{let n=await B(`GET`,`journal`+z({...e,afterId:d.current,limit:200}));!t&&n.entries.length&&(d.current=n.entries[n.entries.length-1].id,i(e=>{let t=[...n.entries.reverse(),...e.entries],r=Ct+f.current;return t.length>r?{entries:t.slice(0,r),older:!0}:{entries:t,older:e.older}})),t||c(null)}catch(e){t||c(e)}t||(n=setTimeout(r,St))}}return()=>{t=!0,clearTimeout(n)}},[e,a]),P`<div class="page">
    <h1>${V(`journal.title`)}</h1>
    <form class="grid filters" onSubmit=${e=>{e.preventDefault();let n=Q(e.target);t(Object.fromEntries(Object.entries(n).filter(([,e])=>e!==``)))}} aria-label=${V(`journal.filters`)}>
      <${X} label="API"><select name="api">${bt.map(e=>P`<option value=${e}>${e||V(`common.all`)}</option>`)}</select><//>
      <${X} label=${V(`journal.route`)}><input name="route" placeholder="POST /Reports/Report" autocomplete="off" /><//>
      <${X} label=${V(`journal.path`)}><input name="path" placeholder="/api/v1.0/status" autocomplete="off" /><//>
      <${X} label=${V(`journal.status`)}><input name="status" type="number" min="0" max="599" /><//>
      <${X} label=${V(`journal.credential`)}><input name="credential" placeholder="token Демо-интегратор" autocomplete="off" /><//>
      <${X} label=${V(`journal.field`)}><input name="field" placeholder="examinationAreaId" autocomplete="off" /><//>
      <${X} label=${V(`journal.value`)}><input name="value" autocomplete="off" /><//>
      <div class="row span">
        <button type="submit">${V(`journal.apply`)}</button>
        <label class="check"><input type="checkbox" checked=${a} onChange=${e=>o(e.target.checked)} /> ${V(`journal.live`)}</label>
      </div>
    </form>
    <${W} error=${s} />
    <p class="muted" aria-live="polite">${V(`journal.shown`,n.length)}</p>
    <div class="scroll"><table class="journal">
      <caption class="sr-only">${V(`journal.title`)}</caption>
      <thead><tr>
        <th scope="col">#</th><th scope="col">${V(`journal.at`)}</th><th scope="col">API</th><th scope="col">${V(`journal.request`)}</th>
        <th scope="col">${V(`journal.status`)}</th><th scope="col">${V(`journal.credential`)}</th><th scope="col">${V(`journal.took`)}</th>
      </tr></thead>
      <tbody>
        ${n.map(e=>P`<${Et} key=${e.id} entry=${e} open=${l===e.id} toggle=${()=>u(l===e.id?null:e.id)} />`)}
      </tbody>
    </table></div>
    ${r&&n.length>0&&P`<button type="button" onClick=${async()=>{let t=n[n.length-1];f.current+=xt;try{let n=await B(`GET`,`journal/newest`+z({...e,beforeId:t.id,limit:xt}));i(e=>e.entries.at(-1)?.id===t.id?{entries:[...e.entries,...n.entries],older:n.entries.length===xt}:e)}catch(e){c(e)}}}>${V(`journal.older`)}</button>`}
  </div>`}function Tt(e){return e===0||e>=500?`bad`:e>=400?`warn`:`ok`}function Et({entry:e,open:t,toggle:n}){return P`<tr class=${t?`open`:``} data-testid="journal-entry">
      <td>${e.id}</td>
      <td><${Z} at=${e.at} /></td>
      <td>${e.api}</td>
      <td><button type="button" class="link" aria-expanded=${t} onClick=${n}>${e.method} ${e.path}</button></td>
      <td><span class=${`status `+Tt(e.status)}>${e.status||V(`journal.cut`)}</span>${e.fault?P` <span class="tag">${V(`journal.fault`,e.fault)}</span>`:``}</td>
      <td>${e.credential||P`<span class="muted">—</span>`}</td>
      <td>${(e.durationUs/1e3).toFixed(1)} ms</td>
    </tr>
    ${t&&P`<tr class="detail"><td colspan="7"><${Ot} entry=${e} /></td></tr>`}`}function Dt(e){try{return JSON.stringify(JSON.parse(e),null,2)}catch{return e}}function Ot({entry:e}){let[t,n]=it(),r=vt(e,location.origin);return P`<div class="entry">
    <dl class="facts">
      <dt>${V(`journal.requestId`)}</dt><dd>${e.requestId}</dd>
      <dt>${V(`journal.route`)}</dt><dd>${e.route||`—`}</dd>
      ${e.query&&P`<dt>${V(`journal.query`)}</dt><dd><code>${e.query}</code></dd>`}
      ${e.reason&&P`<dt>${V(`journal.reason`)}</dt><dd class="reason" data-testid="journal-reason">${e.reason}</dd>`}
      ${e.fault?P`<dt>${V(`journal.faultRule`)}</dt><dd>${e.fault}</dd>`:``}
    </dl>
    <div class="row">
      <button type="button" onClick=${()=>n(r)}>${V(`journal.copyCurl`)}</button>
      <span role="status">${t}</span>
    </div>
    <details><summary>curl</summary><pre class="json" data-testid="journal-curl">${r}</pre></details>
    <div class="columns">
      <div><h3>${V(`journal.headers`)}</h3><pre class="json" tabindex="0">${Dt(e.headers)}</pre>
        <h3>${V(`journal.body`)} (${e.bodySize} B)</h3><pre class="json" tabindex="0">${Dt(e.body)||`—`}</pre></div>
      <div><h3>${V(`journal.answer`)} (${e.answerSize} B)</h3><pre class="json" tabindex="0">${Dt(e.answer)||`—`}</pre></div>
    </div>
  </div>`}var kt=`/console/migrant-exam`,At=50;function jt(){let[e,t]=L(null);return P`<div class="page">
    <h1>${V(`me.title`)}</h1>
    <${Mt} selected=${e} select=${t} />
    ${e&&P`<${Nt} org=${e} />`}
    <${Pt} />
  </div>`}function Mt({selected:e,select:t}){let[n,r]=L(``),i=J(),a=G(()=>B(`GET`,`search/migrant-exam/organizations`+z({q:n,afterId:i.cursor,limit:At})),[n,i.cursor]),o=K(e=>B(`POST`,`migrant-exam/organizations`,e),a.reload),s=a.data?a.data.organizations:[];return P`<${U} id="me-orgs" title=${V(`me.organizations`)}>
    <${W} error=${a.error||o.error} />
    <form class="inline" role="search" onSubmit=${e=>{e.preventDefault(),i.reset(),r(Q(e.target).q)}}>
      <${X} label=${V(`me.searchOrgs`)}><input name="q" type="search" autocomplete="off" /><//>
      <button type="submit">${V(`common.search`)}</button>
    </form>
    <${q} loading=${a.loading} caption=${V(`me.organizations`)} rows=${s} rowKey=${e=>e.id} columns=${[{title:`ID`,value:e=>e.id},{title:V(`me.name`),value:n=>P`<button type="button" class="link" aria-pressed=${e&&e.id===n.id} onClick=${()=>t(n)}>${n.name}</button>`},{title:V(`me.username`),value:e=>e.username},{title:V(`common.created`),value:e=>P`<${Z} at=${e.createdAt} />`}]} />
    <${Y} pager=${i} rows=${s} limit=${At} cursorOf=${e=>e.id} />
    <form class="grid" onSubmit=${e=>{e.preventDefault(),o.run(Q(e.target))}}>
      <h3 class="span">${V(`me.create`)}</h3>
      <${X} label=${V(`me.name`)}><input name="name" required autocomplete="off" /><//>
      <${X} label=${V(`me.username`)}><input name="username" required autocomplete="off" /><//>
      <div class="span"><button type="submit" disabled=${o.busy}>${V(`common.create`)}</button></div>
    </form>
    ${o.result&&P`<${rt} label=${V(`me.credentials`)} value=${`${o.result.credentials.username} / ${o.result.credentials.password} / x-api-key ${o.result.credentials.apiKey}`} />`}
  <//>`}function Nt({org:e}){let t=G(()=>B(`GET`,`migrant-exam/organizations/${e.id}/areas`),[e.id]),n=K(t=>B(`POST`,`migrant-exam/organizations/${e.id}/areas`,{id:Number(t.id)||0,name:t.name}),t.reload),r=K(t=>B(`DELETE`,`migrant-exam/organizations/${e.id}/areas/${t}`),t.reload);return P`<${U} id="me-areas" title=${V(`me.areasOf`,e.name)}>
    <${W} error=${t.error||n.error||r.error} />
    <${q} loading=${t.loading} rows=${t.data&&t.data.areas} rowKey=${e=>e.id} columns=${[{title:`ID`,value:e=>e.id},{title:V(`me.name`),value:e=>e.name},{title:V(`common.created`),value:e=>P`<${Z} at=${e.createdAt} />`},{title:``,value:e=>P`<button type="button" onClick=${()=>r.run(e.id)}>${V(`me.revoke`)}</button>`}]} />
    <form class="inline" onSubmit=${e=>{e.preventDefault(),n.run(Q(e.target))}}>
      <${X} label=${V(`me.areaId`)}><input name="id" type="number" min="1" /><//>
      <${X} label=${V(`me.name`)}><input name="name" autocomplete="off" /><//>
      <button type="submit" disabled=${n.busy}>${V(`me.grant`)}</button>
    </form>
  <//>`}function Pt(){let[e,t]=L({}),n=J(),r=G(()=>B(`GET`,`migrant-exam/reports`+z({...e,afterId:n.cursor,limit:At})),[e,n.cursor]),i=r.data?r.data.reports:[];return P`<${U} id="me-reports" title=${V(`me.reports`)}>
    <${W} error=${r.error} />
    <form class="inline" role="search" onSubmit=${e=>{e.preventDefault();let r=Q(e.target);r.reportId?et(`${kt}/reports/${encodeURIComponent(r.reportId)}`):(n.reset(),t({organizationId:r.organizationId,examinationAreaId:r.examinationAreaId}))}}>
      <${X} label=${V(`me.reportId`)}><input name="reportId" inputmode="numeric" autocomplete="off" /><//>
      <${X} label=${V(`me.organizationId`)}><input name="organizationId" type="number" min="1" /><//>
      <${X} label=${V(`me.areaId`)}><input name="examinationAreaId" type="number" min="1" /><//>
      <button type="submit">${V(`common.search`)}</button>
    </form>
    <${q} loading=${r.loading} caption=${V(`me.reports`)} rows=${i} rowKey=${e=>e.id} columns=${[{title:`ID`,value:e=>P`<${H} href=${`${kt}/reports/${e.id}`}>${e.id}<//>`},{title:V(`me.organizationId`),value:e=>e.organizationId},{title:V(`me.areaId`),value:e=>e.examinationAreaId},{title:V(`me.period`),value:e=>e.periodStartDate},{title:V(`me.versions`),value:e=>e.currentVersion},{title:V(`common.updated`),value:e=>P`<${Z} at=${e.updatedAt} />`}]} />
    <${Y} pager=${n} rows=${i} limit=${At} cursorOf=${e=>e.id} />
  <//>`}var Ft=e=>JSON.stringify([e.identityDocumentNumber,e.examDate,e.migrationExamType,e.migrationExamStatus]),It=()=>[{title:V(`me.document`),value:e=>P`<code class="hash">${e.identityDocumentNumber}</code>`},{title:V(`me.examDate`),value:e=>e.examDate},{title:V(`me.examType`),value:e=>e.migrationExamType},{title:V(`me.examStatus`),value:e=>e.migrationExamStatus}];function Lt({id:e}){let t=G(()=>B(`GET`,`migrant-exam/reports/${encodeURIComponent(e)}`),[e]),n=t.data,r=n?[...new Set(n.versions.flatMap(e=>Object.keys(e).filter(e=>e!==`requests`)))]:[],i=e=>e==null?`—`:String(e);return P`<div class="page">
    <p><${H} href=${kt}>← ${V(`me.title`)}<//></p>
    <h1>${V(`me.report`,e)}</h1>
    <${W} error=${t.error} />
    ${n&&P`<dl class="facts">
        <dt>${V(`me.organizationId`)}</dt><dd>${n.organizationId}</dd>
        <dt>${V(`me.areaId`)}</dt><dd>${n.examinationAreaId}</dd>
        <dt>${V(`me.versions`)}</dt><dd data-testid="report-versions">${n.versions.length}</dd>
      </dl>
      <div class="scroll"><table class="versions">
        <caption>${V(`me.sideBySide`)}</caption>
        <thead><tr><th scope="col">${V(`me.field`)}</th>${n.versions.map(e=>P`<th scope="col">${V(`me.version`,e.version)}</th>`)}</tr></thead>
        <tbody>${r.map(e=>{let t=n.versions.map(t=>i(t[e]));return P`<tr class=${t.some(e=>e!==t[0])?`changed`:``}><th scope="row">${e}</th>${t.map(e=>P`<td>${e}</td>`)}</tr>`})}</tbody>
      </table></div>
      <p class="muted">${V(`me.rowsChanged`)}</p>
      <div class="columns">${n.versions.map((e,t)=>{let r=new Set(t>0?n.versions[t-1].requests.map(Ft):[]);return P`<div data-testid="report-version">
          <h2>${V(`me.version`,e.version)}: ${V(`me.rows`,e.requests.length)}</h2>
          <${q} rows=${e.requests} columns=${It()} rowClass=${e=>t>0&&!r.has(Ft(e))?`changed`:void 0} />
        </div>`})}</div>`}
  </div>`}var Rt=`/console/fssp`,zt=50,Bt={0:`fssp.done`,1:`fssp.running`,2:`fssp.queued`,3:`fssp.doneWithErrors`};function Vt(){let e=G(()=>B(`GET`,`fssp/bank`),[]);return P`<div class="page">
    <h1>${V(`fssp.title`)}</h1>
    <${W} error=${e.error} />
    ${e.data&&P`<p>${V(`fssp.bank`,e.data.proceedings)}</p>`}
    <${Ut} />
    <${Gt} />
  </div>`}function Ht(e){let t={};for(let n of[`singlePerHour`,`singlePerDay`,`groupPerDay`])e[n]!==``&&(t[n]=Number(e[n]));return{name:e.name,limits:t}}function Ut(){let e=G(()=>B(`GET`,`fssp/tokens`),[]),[t,n]=L(null),r=K(e=>B(`POST`,`fssp/tokens`,Ht(e)),e.reload),i=K(e=>B(`DELETE`,`fssp/tokens/`+e),e.reload),a=e.data?e.data.tokens:[];return P`<${U} id="fssp-tokens" title=${V(`fssp.tokens`)}>
    <${W} error=${e.error||r.error||i.error} />
    <${q} loading=${e.loading} caption=${V(`fssp.tokens`)} rows=${a} rowKey=${e=>e.id} columns=${[{title:`ID`,value:e=>e.id},{title:V(`fssp.name`),value:e=>e.name},{title:V(`fssp.limits`),value:e=>`${e.limits.singlePerHour}/${V(`fssp.hour`)}, ${e.limits.singlePerDay}/${V(`fssp.day`)}, ${V(`fssp.groups`)} ${e.limits.groupPerDay}/${V(`fssp.day`)}`},{title:V(`fssp.expires`),value:e=>P`<${Z} at=${e.expiresAt} />`},{title:V(`fssp.revoked`),value:e=>P`<${Z} at=${e.revokedAt} />`},{title:``,value:e=>P`<div class="row">
        <button type="button" onClick=${()=>n(e)}>${V(`fssp.usage`)}</button>
        ${!e.revokedAt&&P`<button type="button" class="danger" onClick=${()=>i.run(e.id)}>${V(`fssp.revoke`)}</button>`}
      </div>`}]} />
    ${t&&P`<${Wt} token=${t} />`}
    <form class="grid" onSubmit=${e=>{e.preventDefault(),r.run(Q(e.target))}}>
      <h3 class="span">${V(`fssp.issue`)}</h3>
      <${X} label=${V(`fssp.name`)}><input name="name" required autocomplete="off" /><//>
      <${X} label=${V(`fssp.singlePerHour`)}><input name="singlePerHour" type="number" min="0" placeholder="100" /><//>
      <${X} label=${V(`fssp.singlePerDay`)}><input name="singlePerDay" type="number" min="0" placeholder="1000" /><//>
      <${X} label=${V(`fssp.groupPerDay`)}><input name="groupPerDay" type="number" min="0" placeholder="5000" /><//>
      <div class="span"><button type="submit" disabled=${r.busy}>${V(`fssp.issue`)}</button></div>
    </form>
    ${r.result&&P`<${rt} label=${V(`fssp.token`)} value=${r.result.token} />`}
  <//>`}function Wt({token:e}){let t=G(()=>B(`GET`,`fssp/tokens/${e.id}/usage`),[e.id]);return P`<div class="sub" aria-live="polite">
    <h3>${V(`fssp.usageOf`,e.name)}</h3>
    <${W} error=${t.error} />
    <${q} loading=${t.loading} rows=${t.data&&t.data.windows} columns=${[{title:V(`fssp.window`),value:e=>`${e.class} / ${e.span}`},{title:V(`fssp.used`),value:e=>`${e.used} / ${e.limit}`},{title:V(`fssp.freesAt`),value:e=>P`<${Z} at=${e.freesAt} />`}]} />
  </div>`}function Gt(){let[e,t]=L({}),n=J(),r=G(()=>B(`GET`,`fssp/tasks`+z({...e,to:n.cursor,limit:zt})),[e,n.cursor]),i=r.data?r.data.tasks:[];return P`<${U} id="fssp-tasks" title=${V(`fssp.tasks`)}>
    <${W} error=${r.error} />
    <form class="inline" role="search" onSubmit=${e=>{e.preventDefault(),n.reset(),t(Q(e.target))}}>
      <${X} label=${V(`fssp.tokenId`)}><input name="tokenId" type="number" min="1" /><//>
      <${X} label=${V(`fssp.status`)}><select name="status"><option value="">${V(`common.all`)}</option>
        ${[0,1,2,3].map(e=>P`<option value=${e}>${e}: ${V(Bt[e])}</option>`)}</select><//>
      <button type="submit">${V(`common.search`)}</button>
      <button type="button" onClick=${r.reload}>${V(`common.refresh`)}</button>
    </form>
    <${q} loading=${r.loading} caption=${V(`fssp.tasks`)} rows=${i} rowKey=${e=>e.id} columns=${[{title:V(`fssp.task`),value:e=>P`<${H} href=${`${Rt}/tasks/${e.id}`}><code>${e.id}</code><//>`},{title:V(`fssp.tokenId`),value:e=>e.tokenId},{title:V(`fssp.kind`),value:e=>e.group?V(`fssp.group`):V(`fssp.single`)},{title:V(`fssp.status`),value:e=>`${e.status}: ${V(Bt[e.status])}`},{title:V(`fssp.progress`),value:e=>e.progress},{title:V(`common.created`),value:e=>P`<${Z} at=${e.createdAt} />`}]} />
    <${Y} pager=${n} rows=${i} limit=${zt} cursorOf=${e=>e.createdAt} />
  <//>`}function Kt({id:e}){let t=G(()=>B(`GET`,`fssp/tasks/${encodeURIComponent(e)}`),[e]),n=t.data;return P`<div class="page">
    <p><${H} href=${Rt}>← ${V(`fssp.title`)}<//></p>
    <h1>${V(`fssp.taskTitle`,e)}</h1>
    <${W} error=${t.error} />
    ${n&&P`<dl class="facts">
        <dt>${V(`fssp.status`)}</dt><dd>${n.status}: ${V(Bt[n.status])}</dd>
        <dt>${V(`fssp.progress`)}</dt><dd>${n.progress}</dd>
        <dt>${V(`common.created`)}</dt><dd><${Z} at=${n.createdAt} /></dd>
        <dt>${V(`fssp.finished`)}</dt><dd><${Z} at=${n.finishedAt} /></dd>
      </dl>
      <div class="columns">
        <div><h2>${V(`fssp.requests`)}</h2><${nt} value=${n.requests} /></div>
        <div><h2>${V(`fssp.results`)}</h2><${nt} value=${n.results} /></div>
      </div>`}
  </div>`}var qt=`/console/reestro`,Jt=50;function Yt(){let e=G(()=>B(`GET`,`reestro/organizations`),[]),[t,n]=L(null),r=K(e=>B(`POST`,`reestro/organizations`,e),e.reload),i=e.data?e.data.organizations:[];return P`<div class="page">
    <h1>${V(`re.title`)}</h1>
    <${U} id="re-orgs" title=${V(`re.organizations`)}>
      <${W} error=${e.error||r.error} />
      <${q} loading=${e.loading} caption=${V(`re.organizations`)} rows=${i} rowKey=${e=>e.id} columns=${[{title:`portal.orgid`,value:e=>P`<code>${e.id}</code>`},{title:V(`re.name`),value:e=>P`<button type="button" class="link" aria-pressed=${t&&t.id===e.id} onClick=${()=>n(e)}>${e.name}</button>`},{title:V(`common.created`),value:e=>P`<${Z} at=${e.createdAt} />`}]} />
      <form class="inline" onSubmit=${e=>{e.preventDefault(),r.run(Q(e.target))}}>
        <${X} label=${V(`re.name`)}><input name="name" required autocomplete="off" /><//>
        <button type="submit" disabled=${r.busy}>${V(`re.createOrg`)}</button>
      </form>
    <//>
    ${t&&P`<${Zt} org=${t} />`}
    <${Xt} orgs=${i} />
  </div>`}function Xt({orgs:e}){let t=G(()=>B(`GET`,`reestro/keys`),[]),n=K((e,t)=>B(`POST`,`reestro/keys`,{name:e.name,organizations:t}),t.reload),r=K(e=>B(`DELETE`,`reestro/keys/`+e),t.reload);return P`<${U} id="re-keys" title=${V(`re.keys`)}>
    <${W} error=${t.error||n.error||r.error} />
    <${q} loading=${t.loading} caption=${V(`re.keys`)} rows=${t.data&&t.data.keys} rowKey=${e=>e.id} columns=${[{title:`ID`,value:e=>e.id},{title:V(`re.name`),value:e=>e.name},{title:V(`re.grants`),value:e=>e.organizations.map(e=>P`<code>${e}</code> `)},{title:V(`common.created`),value:e=>P`<${Z} at=${e.createdAt} />`},{title:V(`re.revoked`),value:e=>P`<${Z} at=${e.revokedAt} />`},{title:``,value:e=>!e.revokedAt&&P`<button type="button" class="danger" onClick=${()=>r.run(e.id)}>${V(`re.revoke`)}</button>`}]} />
    <form class="grid" onSubmit=${e=>{e.preventDefault();let t=new FormData(e.target);n.run({name:t.get(`name`)},t.getAll(`organizations`))}}>
      <h3 class="span">${V(`re.issue`)}</h3>
      <${X} label=${V(`re.name`)}><input name="name" required autocomplete="off" /><//>
      <fieldset><legend>${V(`re.grants`)}</legend>
        ${e.map(e=>P`<label class="check"><input type="checkbox" name="organizations" value=${e.id} /> ${e.name}</label>`)}
      </fieldset>
      <div class="span"><button type="submit" disabled=${n.busy}>${V(`re.issue`)}</button></div>
    </form>
    ${n.result&&P`<${rt} label=${V(`re.key`)} value=${n.result.key} />`}
  <//>`}function Zt({org:e}){let[t,n]=L({}),r=J(),i=`reestro/organizations/${encodeURIComponent(e.id)}/checks`,a=G(()=>B(`GET`,i+z({...t,afterId:r.cursor,limit:Jt})),[e.id,t,r.cursor]),o=a.data?a.data.checks:[];return P`<${U} id="re-checks" title=${V(`re.checksOf`,e.name)}>
    <${W} error=${a.error} />
    <form class="inline" role="search" onSubmit=${e=>{e.preventDefault(),r.reset(),n(Q(e.target))}}>
      <${X} label="correlationId"><input name="correlationId" autocomplete="off" /><//>
      <${X} label="externalId"><input name="externalId" autocomplete="off" /><//>
      <${X} label="subjectId"><input name="subjectId" autocomplete="off" /><//>
      <${X} label=${V(`re.state`)}><select name="state"><option value="">${V(`common.all`)}</option><option>Processing</option><option>Processed</option><option>Failed</option></select><//>
      <button type="submit">${V(`common.search`)}</button>
    </form>
    <${q} loading=${a.loading} caption=${V(`re.checks`)} rows=${o} rowKey=${e=>e.id} columns=${[{title:`checkId`,value:t=>P`<${H} href=${`${qt}/organizations/${encodeURIComponent(e.id)}/checks/${t.id}`}><code>${t.id}</code><//>`},{title:V(`re.state`),value:e=>e.state},{title:`correlationId`,value:e=>e.correlationId},{title:`externalId`,value:e=>e.externalId},{title:V(`re.regions`),value:e=>e.regions.join(`, `)},{title:V(`common.created`),value:e=>P`<${Z} at=${e.createdAt} />`}]} />
    <${Y} pager=${r} rows=${o} limit=${Jt} cursorOf=${e=>e.id} />
  <//>`}function Qt({org:e,id:t}){let n=G(()=>B(`GET`,`reestro/organizations/${encodeURIComponent(e)}/checks/${encodeURIComponent(t)}`),[e,t]),r=n.data;return P`<div class="page">
    <p><${H} href=${qt}>← ${V(`re.title`)}<//></p>
    <h1>${V(`re.check`,t)}</h1>
    <${W} error=${n.error} />
    ${r&&P`<dl class="facts">
        <dt>${V(`re.state`)}</dt><dd>${r.state}</dd>
        <dt>${V(`common.created`)}</dt><dd><${Z} at=${r.createdAt} /></dd>
        <dt>${V(`re.finished`)}</dt><dd><${Z} at=${r.finishedAt} /></dd>
        ${r.failure&&P`<dt>${V(`re.failure`)}</dt><dd>${r.failure}</dd>`}
      </dl>
      <div class="columns">
        <div><h2>${V(`re.subject`)}</h2><${nt} value=${r.subject} /></div>
        <div><h2>${V(`re.found`)}</h2><${nt} value=${r.result} /></div>
      </div>`}
  </div>`}var $t=`/console/motivity`,$=50;function en(){let e=G(()=>B(`GET`,`motivity/platform`),[]),t=e.data;return P`<div class="page">
    <h1>${V(`mo.title`)}</h1>
    <${W} error=${e.error} />
    ${t&&P`<dl class="facts">
      <dt>${V(`mo.locales`)}</dt><dd>${t.locales.join(`, `)} (${t.defaultLocale})</dd>
      <dt>${V(`mo.identifier`)}</dt><dd>${t.identifierKind}</dd>
      <dt>${V(`mo.tokenSet`)}</dt><dd>${t.publicTokenSet?V(`common.yes`):V(`common.no`)}</dd>
      <dt>${V(`mo.catalog`)}</dt><dd>${t.prizeCatalogUntil||`—`}</dd>
    </dl>`}
    <p><${H} href=${$t+`/quests`}>${V(`qu.title`)}<//> · <${H} href=${$t+`/reports`}>${V(`rp.title`)}<//></p>
    <${tn} />
    <${rn} />
    <${on} />
    <${sn} />
  </div>`}function tn(){let[e,t]=L(``),n=J(),r=G(()=>B(`GET`,`search/motivity/users`+z({q:e,afterId:n.cursor,limit:$})),[e,n.cursor]),i=K(e=>B(`POST`,`motivity/users`,{identifier:e.identifier,name:e.name,email:e.email||void 0}),r.reload),a=r.data?r.data.users:[];return P`<${U} id="mo-users" title=${V(`mo.users`)}>
    <${W} error=${r.error||i.error} />
    <form class="inline" role="search" onSubmit=${e=>{e.preventDefault(),n.reset(),t(Q(e.target).q)}}>
      <${X} label=${V(`mo.searchUsers`)}><input name="q" type="search" autocomplete="off" /><//>
      <button type="submit">${V(`common.search`)}</button>
    </form>
    <${q} loading=${r.loading} caption=${V(`mo.users`)} rows=${a} rowKey=${e=>e.id} columns=${[{title:V(`mo.identifier`),value:e=>P`<${H} href=${`${$t}/users/${encodeURIComponent(e.identifier)}`}>${e.identifier}<//>`},{title:V(`mo.name`),value:e=>e.name},{title:V(`mo.state`),value:e=>e.deleted?V(`mo.deleted`):e.active?V(`mo.active`):V(`mo.inactive`)},{title:V(`common.updated`),value:e=>P`<${Z} at=${e.updatedAt} />`}]} />
    <${Y} pager=${n} rows=${a} limit=${$} cursorOf=${e=>e.id} />
    <form class="grid" onSubmit=${e=>{e.preventDefault(),i.run(Q(e.target))}}>
      <h3 class="span">${V(`mo.addUser`)}</h3>
      <${X} label=${V(`mo.identifier`)}><input name="identifier" required autocomplete="off" /><//>
      <${X} label=${V(`mo.name`)}><input name="name" autocomplete="off" /><//>
      <${X} label="Email"><input name="email" type="email" autocomplete="off" /><//>
      <div class="span"><button type="submit" disabled=${i.busy}>${V(`mo.putUser`)}</button></div>
    </form>
    ${i.result&&P`<p role="status" class="done">${V(`mo.userSaved`,i.result.identifier)}</p>`}
  <//>`}function nn(e){let t=e.texts||{},n=t.ru||t.en||Object.values(t)[0];return n?n.title:``}function rn(){let e=G(()=>B(`GET`,`motivity/badges`),[]),[t,n]=L(null);return P`<${U} id="mo-badges" title=${V(`mo.badges`)}>
    <${W} error=${e.error} />
    <${q} loading=${e.loading} caption=${V(`mo.badges`)} rows=${e.data&&e.data.badges} rowKey=${e=>e.id} columns=${[{title:`ID`,value:e=>e.id},{title:V(`mo.badgeTitle`),value:e=>nn(e)},{title:V(`mo.grades`),value:e=>(e.grades||[]).map(e=>`${e.id} (${e.grade})`).join(`, `)},{title:V(`mo.active`),value:e=>e.active?V(`common.yes`):V(`common.no`)},{title:``,value:e=>P`<button type="button" onClick=${()=>n(e)}>${V(`mo.holders`)}</button>`}]} />
    ${t&&P`<${an} badge=${t} />`}
  <//>`}function an({badge:e}){let t=J(),n=G(()=>B(`GET`,`motivity/badges/${e.id}/holders`+z({afterId:t.cursor,limit:$})),[e.id,t.cursor]),r=n.data?n.data.holders:[];return P`<div class="sub" aria-live="polite">
    <h3>${V(`mo.holdersOf`,nn(e))}</h3>
    <${W} error=${n.error} />
    <${q} loading=${n.loading} rows=${r} rowKey=${e=>e.userId+`-`+e.badgeId} columns=${[{title:V(`mo.identifier`),value:e=>P`<${H} href=${`${$t}/users/${encodeURIComponent(e.identifier)}`}>${e.identifier}<//>`},{title:V(`mo.badge`),value:e=>e.badgeId},{title:V(`mo.since`),value:e=>P`<${Z} at=${e.since} />`}]} />
    <${Y} pager=${t} rows=${r} limit=${$} cursorOf=${e=>e.userId} />
  </div>`}function on(){let e=J(),t=G(()=>B(`GET`,`motivity/files`+z({afterId:e.cursor,limit:$})),[e.cursor]),n=K(e=>Ge(`motivity/files/${e.id}/content`,e.name)),r=t.data||[];return P`<${U} id="mo-files" title=${V(`mo.files`)}>
    <${W} error=${t.error||n.error} />
    <${q} loading=${t.loading} caption=${V(`mo.files`)} rows=${r} rowKey=${e=>e.id} columns=${[{title:`ID`,value:e=>e.id},{title:V(`mo.fileName`),value:e=>e.name},{title:V(`mo.size`),value:e=>e.size},{title:V(`mo.type`),value:e=>e.contentType},{title:V(`common.created`),value:e=>P`<${Z} at=${e.createdAt} />`},{title:``,value:e=>P`<button type="button" onClick=${()=>n.run(e)}>${V(`mo.download`)}</button>`}]} />
    <${Y} pager=${e} rows=${r} limit=${$} cursorOf=${e=>e.id} />
  <//>`}function sn({user:e}){let[t,n]=L(``),r=J(),i=G(()=>B(`GET`,`motivity/ledger`+z({user:e,balanceType:t,afterId:r.cursor,limit:$})),[e,t,r.cursor]),a=i.data?i.data.entries:[];return P`<${U} id="mo-ledger" title=${V(`mo.ledger`)}>
    <${W} error=${i.error} />
    <${X} label=${V(`mo.balance`)}><select value=${t} onChange=${e=>{r.reset(),n(e.target.value)}}>
      <option value="">${V(`common.all`)}</option><option>score</option><option>karma</option><option>payment</option>
    </select><//>
    <${q} loading=${i.loading} caption=${V(`mo.ledger`)} rows=${a} rowKey=${e=>e.id} columns=${[{title:`#`,value:e=>e.id},{title:V(`mo.user`),value:e=>e.userId},{title:V(`mo.balance`),value:e=>e.balanceType},{title:V(`mo.amount`),value:e=>e.amount},{title:V(`mo.after`),value:e=>e.balanceAfter},{title:V(`mo.message`),value:e=>e.message},{title:V(`journal.at`),value:e=>P`<${Z} at=${e.at} />`}]} />
    <${Y} pager=${r} rows=${a} limit=${$} cursorOf=${e=>e.id} />
  <//>`}function cn({identifier:e}){let t=G(()=>B(`GET`,`motivity/users/${encodeURIComponent(e)}`),[e]),n=G(()=>B(`GET`,`motivity/users/${encodeURIComponent(e)}/goals`),[e]),r=t.data,i=n.data;return P`<div class="page">
    <p><${H} href=${$t}>← ${V(`mo.title`)}<//></p>
    <h1>${e}</h1>
    <${W} error=${t.error||n.error} />
    ${r&&P`<dl class="facts">
        <dt>${V(`mo.name`)}</dt><dd>${r.name}</dd>
        ${Object.entries(r.balances||{}).map(([e,t])=>P`<dt>${e}</dt><dd>${t}</dd>`)}
      </dl>
      <${U} id="mo-held" title=${V(`mo.badges`)}><${nt} value=${r.badges} /><h3>${V(`mo.badgeHistory`)}</h3><${nt} value=${r.badgeHistory} /><//>`}
    ${i&&P`<${U} id="mo-goals" title=${V(`mo.goals`)}>
      <${q} rows=${i.goals} rowKey=${e=>e.id} columns=${[{title:`ID`,value:e=>e.id},{title:V(`mo.goalTitle`),value:e=>e.title},{title:V(`mo.progress`),value:e=>`${e.progress??``} / ${e.value??``} ${e.valueUnit||``}`},{title:V(`mo.deadline`),value:e=>e.deadlineAt},{title:V(`mo.state`),value:e=>e.deletedAt?V(`mo.deleted`):e.completedAt?V(`mo.completed`):e.approvedAt?V(`mo.approved`):V(`mo.draft`)}]} />
      <h3>${V(`mo.goalHistory`)}</h3>
      <${q} rows=${i.history} rowKey=${e=>e.id} columns=${[{title:V(`journal.at`),value:e=>P`<${Z} at=${e.at} />`},{title:V(`mo.goal`),value:e=>e.goalId},{title:V(`mo.action`),value:e=>e.action},{title:V(`mo.actor`),value:e=>e.actor||e.author},{title:V(`mo.changes`),value:e=>P`<code>${JSON.stringify(e.changes)}</code>`}]} />
    <//>`}
    <${sn} user=${e} />
  </div>`}var ln=`/console/motivity/quests`,un=50;function dn(e){let t=(e||{}).ru||(e||{}).en||Object.values(e||{})[0];return t?t.title:``}var fn={in_progress:`qu.inProgress`,checking:`qu.checking`,redo:`qu.redo`,complete:`qu.complete`,fail:`qu.fail`},pn=e=>fn[e]?V(fn[e]):e;function mn(){let e=J(),t=G(()=>B(`GET`,`motivity/quests`+z({afterId:e.cursor,limit:un})),[e.cursor]),n=t.data?t.data.quests:[];return P`<div class="page">
    <p><${H} href="/console/motivity">← ${V(`mo.title`)}<//></p>
    <h1>${V(`qu.title`)}</h1>
    <${W} error=${t.error} />
    <${q} loading=${t.loading} caption=${V(`qu.title`)} rows=${n} rowKey=${e=>e.id} columns=${[{title:`ID`,value:e=>e.id},{title:V(`qu.quest`),value:e=>P`<${H} href=${`${ln}/${e.id}`}>${dn(e.texts)||e.id}<//>`},{title:V(`qu.mentors`),value:e=>(e.mentors||[]).join(`, `)},{title:V(`qu.visible`),value:e=>e.visible?V(`common.yes`):V(`common.no`)},{title:V(`qu.deadline`),value:e=>e.deadlineType},{title:V(`common.updated`),value:e=>P`<${Z} at=${e.updatedAt} />`}]} />
    <${Y} pager=${e} rows=${n} limit=${un} cursorOf=${e=>e.id} />
  </div>`}function hn({id:e}){let t=G(()=>B(`GET`,`motivity/quests/${encodeURIComponent(e)}`),[e]),[n,r]=L(null),i=t.data,a=Object.keys(fn);return P`<div class="page">
    <p><${H} href=${ln}>← ${V(`qu.title`)}<//></p>
    <h1>${i?dn(i.texts):V(`qu.quest`)} (${e})</h1>
    <${W} error=${t.error} />
    ${i&&P`<dl class="facts">
        <dt>${V(`qu.mentors`)}</dt><dd>${(i.mentors||[]).join(`, `)||`—`}</dd>
        <dt>${V(`qu.open`)}</dt><dd>${i.open||i.close?P`<${Z} at=${i.open} /> — <${Z} at=${i.close} />`:V(`qu.always`)}</dd>
        <dt>${V(`qu.deadline`)}</dt><dd>${i.deadlineType}${i.deadlineDate?` `+i.deadlineDate.slice(0,10):``}${i.deadlineDelay?` (${i.deadlineDelay})`:``}</dd>
        <dt>${V(`qu.visible`)}</dt><dd>${i.visible?V(`common.yes`):V(`common.no`)}</dd>
      </dl>
      <${U} id="qu-tasks" title=${V(`qu.tasks`)}>
        <${q} rows=${i.tasks} rowKey=${e=>e.id} columns=${[{title:`ID`,value:e=>e.id},{title:V(`qu.task`),value:e=>dn(e.texts)},{title:V(`qu.score`),value:e=>e.score??`—`},...a.map(e=>({title:pn(e),value:t=>t.students&&t.students[e]||0}))]} />
      <//>`}
    <${gn} quest=${e} tasks=${i?i.tasks:[]} open=${n} select=${r} />
  </div>`}function gn({quest:e,tasks:t,open:n,select:r}){let i=J(),a=G(()=>B(`GET`,`motivity/quests/${encodeURIComponent(e)}/students`+z({afterId:i.cursor,limit:un})),[e,i.cursor]),o=a.data?a.data.students:[];return P`<${U} id="qu-students" title=${V(`qu.students`)}>
    <${W} error=${a.error} />
    <${q} loading=${a.loading} rows=${o} rowKey=${e=>e.user} columns=${[{title:V(`qu.student`),value:e=>P`<button type="button" class="link" aria-pressed=${n===e.user} onClick=${()=>r(e.user)}>${e.user}</button>`},{title:V(`qu.mentors`),value:e=>(e.mentors||[]).join(`, `)},{title:V(`qu.assigned`),value:e=>P`<${Z} at=${e.assignedAt} />`}]} />
    <${Y} pager=${i} rows=${o} limit=${un} cursorOf=${e=>e.userId} />
    ${n&&P`<${_n} quest=${e} user=${n} tasks=${t} />`}
  <//>`}function _n({quest:e,user:t,tasks:n}){let r=G(()=>B(`GET`,`motivity/quests/${encodeURIComponent(e)}/students/${encodeURIComponent(t)}`),[e,t]),i=r.data,a=e=>dn((n.find(t=>t.id===e)||{}).texts)||e;return P`<div class="sub" aria-live="polite">
    <h3>${t}</h3>
    <${W} error=${r.error} />
    ${i&&P`<${q} rows=${i.tasks} rowKey=${e=>e.task} columns=${[{title:V(`qu.task`),value:n=>P`<${H} href=${`${ln}/${e}/tasks/${n.task}/students/${encodeURIComponent(t)}`}>${a(n.task)}<//>`},{title:V(`qu.status`),value:e=>pn(e.status)},{title:V(`common.updated`),value:e=>P`<${Z} at=${e.updatedAt} />`}]} />
      <h3>${V(`qu.awards`)}</h3>
      <${q} rows=${i.awards} columns=${[{title:V(`qu.kind`),value:e=>e.kind},{title:V(`qu.recipient`),value:e=>e.recipient},{title:V(`qu.score`),value:e=>e.score},{title:V(`journal.at`),value:e=>P`<${Z} at=${e.at} />`}]} />`}
  </div>`}function vn({quest:e,task:t,user:n}){let r=G(()=>B(`GET`,`motivity/quests/${encodeURIComponent(e)}/tasks/${encodeURIComponent(t)}/students/${encodeURIComponent(n)}`),[e,t,n]),i=K(e=>Ge(`motivity/files/${e.id}/content`,e.name)),a=r.data;return P`<div class="page">
    <p><${H} href=${`${ln}/${e}`}>← ${V(`qu.quest`)} ${e}<//></p>
    <h1>${V(`qu.thread`,t,n)}</h1>
    <${W} error=${r.error||i.error} />
    ${a&&P`<p>${V(`qu.status`)}: <strong data-testid="thread-status">${pn(a.status)}</strong></p>
      <ol class="thread">${a.messages.map(e=>P`<li>
        <p class="muted">${e.author} · <${Z} at=${e.at} /> · ${pn(e.status)}</p>
        <p class="message">${e.text}</p>
        ${e.files.length>0&&P`<ul>${e.files.map(e=>P`<li>${e.name} (${e.size} B) <button type="button" onClick=${()=>i.run(e)}>${V(`mo.download`)}</button></li>`)}</ul>`}
      </li>`)}</ol>`}
  </div>`}var yn=`/console/motivity/reports`,bn=50,xn=1500,Sn={processing:`rp.processing`,ready:`rp.ready`,failed:`rp.failed`},Cn={ready:`status ok`,failed:`status bad`},wn=e=>P`<span class=${Cn[e]} data-testid="report-state">${Sn[e]?V(Sn[e]):e}</span>`,Tn=e=>`motivity/reports/${encodeURIComponent(e)}`,En=e=>`motivity-report-${e.id}-${e.type}.json`,Dn=e=>e.state===`ready`?e.size:P`<span class="muted">—</span>`;function On(e,t){De(()=>{if(!e)return;let n=setTimeout(t.reload,xn);return()=>clearTimeout(n)},[e,t.data])}function kn(e){let t=K(e=>Ge(Tn(e.id)+`/data`,En(e))),n=K(e=>B(`DELETE`,Tn(e.id)),e);return{get:t,del:n,error:t.error||n.error}}function An({report:e,actions:t}){return P`<div class="row">
    ${e.state===`ready`&&P`<button type="button" aria-label=${V(`rp.download`,e.id)} onClick=${()=>t.get.run(e)}>${V(`mo.download`)}</button>`}
    <button type="button" class="danger" aria-label=${V(`rp.delete`,e.id)}
      onClick=${at(V(`rp.confirmDelete`,e.id),()=>t.del.run(e))}>${V(`common.delete`)}</button>
  </div>`}function jn(){let e=J(),t=G(()=>B(`GET`,`motivity/reports`+z({afterId:e.cursor,limit:bn})),[e.cursor]),n=t.data?t.data.reports:[];On(n.some(e=>e.state===`processing`),t);let r=kn(t.reload);return P`<div class="page">
    <p><${H} href="/console/motivity">← ${V(`mo.title`)}<//></p>
    <h1>${V(`rp.title`)}</h1>
    <p class="muted">${V(`rp.explain`)}</p>
    <${W} error=${t.error||r.error} />
    <${tt} text=${r.del.result&&V(`rp.deleted`,r.del.result.id)} />
    <div class="row"><button type="button" onClick=${t.reload}>${V(`common.refresh`)}</button></div>
    <${q} loading=${t.loading} caption=${V(`rp.title`)} rows=${n} rowKey=${e=>e.id} columns=${[{title:`ID`,value:e=>P`<${H} href=${`${yn}/${e.id}`}>${e.id}<//>`},{title:V(`rp.type`),value:e=>e.type},{title:V(`rp.locale`),value:e=>e.locale},{title:V(`rp.state`),value:e=>wn(e.state)},{title:V(`rp.size`),value:Dn},{title:V(`common.created`),value:e=>P`<${Z} at=${e.createdAt} />`},{title:V(`rp.finished`),value:e=>P`<${Z} at=${e.finishedAt} />`},{title:V(`rp.expires`),value:e=>P`<${Z} at=${e.expiresAt} />`},{title:V(`rp.error`),value:e=>e.error?P`<span class="reason">${e.error}</span>`:P`<span class="muted">—</span>`},{title:``,value:e=>P`<${An} report=${e} actions=${r} />`}]} />
    <${Y} pager=${e} rows=${n} limit=${bn} cursorOf=${e=>e.id} />
  </div>`}function Mn({id:e}){let t=G(()=>B(`GET`,Tn(e)),[e]),[n,r]=L(null),i=t.data;On(!(!i||i.state!==`processing`||n),t);let a=kn(r),o=(t,n,r)=>yt(t,Ve+Tn(e)+n,location.origin,r);return P`<div class="page">
    <p><${H} href=${yn}>← ${V(`rp.title`)}<//></p>
    <h1>${V(`rp.report`,e)}</h1>
    <${W} error=${t.error||a.error} />
    <${tt} text=${n&&V(`rp.deleted`,n.id)} />
    ${i&&P`<dl class="facts">
        <dt>${V(`rp.type`)}</dt><dd>${i.type}</dd>
        <dt>${V(`rp.locale`)}</dt><dd>${i.locale}</dd>
        <dt>${V(`rp.state`)}</dt><dd>${wn(i.state)}</dd>
        <dt>${V(`rp.size`)}</dt><dd>${Dn(i)}</dd>
        <dt>ETag</dt><dd>${i.etag?P`<code class="hash">${i.etag}</code>`:P`<span class="muted">—</span>`}</dd>
        <dt>${V(`common.created`)}</dt><dd><${Z} at=${i.createdAt} /></dd>
        <dt>${V(`rp.finished`)}</dt><dd><${Z} at=${i.finishedAt} /></dd>
        <dt>${V(`rp.expires`)}</dt><dd><${Z} at=${i.expiresAt} /></dd>
        ${i.error&&P`<dt>${V(`rp.error`)}</dt><dd class="reason">${i.error}</dd>`}
      </dl>
      ${!n&&P`<${An} report=${i} actions=${a} />`}
      <${U} id="rp-filters" title=${V(`rp.filters`)}>
        ${i.filters===null?P`<p class="muted">${V(`rp.noFilters`)}</p>`:P`<${nt} value=${i.filters} label=${V(`rp.filters`)} />`}
      <//>
      ${!n&&P`<${U} id="rp-curl" title="curl">
        <p class="muted">${V(`rp.curlExplain`)}</p>
        <${Nn} title=${V(`rp.curlRecord`)} command=${o(`GET`,``)} testid="report-curl-record" />
        ${i.state===`ready`&&P`<${Nn} title=${V(`rp.curlData`)} command=${o(`GET`,`/data`,En(i))} testid="report-curl-data" />`}
        <${Nn} title=${V(`rp.curlDelete`)} command=${o(`DELETE`,``)} testid="report-curl-delete" />
      <//>`}`}
  </div>`}function Nn({title:e,command:t,testid:n}){let[r,i]=it();return P`<h3>${e}</h3>
    <pre class="json" tabindex="0" data-testid=${n}>${t}</pre>
    <div class="row">
      <button type="button" aria-label=${`${V(`journal.copyCurl`)}: ${e}`} onClick=${()=>i(t)}>${V(`journal.copyCurl`)}</button>
      <span role="status">${r}</span>
    </div>`}var Pn=`/console`,Fn=[[/^\/?$/,()=>P`<${ot} />`],[/^\/journal$/,()=>P`<${wt} />`],[/^\/migrant-exam$/,()=>P`<${jt} />`],[/^\/migrant-exam\/reports\/([^/]+)$/,e=>P`<${Lt} id=${e} />`],[/^\/fssp$/,()=>P`<${Vt} />`],[/^\/fssp\/tasks\/([^/]+)$/,e=>P`<${Kt} id=${e} />`],[/^\/reestro$/,()=>P`<${Yt} />`],[/^\/reestro\/organizations\/([^/]+)\/checks\/([^/]+)$/,(e,t)=>P`<${Qt} org=${e} id=${t} />`],[/^\/motivity$/,()=>P`<${en} />`],[/^\/motivity\/users\/([^/]+)$/,e=>P`<${cn} identifier=${e} />`],[/^\/motivity\/quests$/,()=>P`<${mn} />`],[/^\/motivity\/quests\/([^/]+)$/,e=>P`<${hn} id=${e} />`],[/^\/motivity\/quests\/([^/]+)\/tasks\/([^/]+)\/students\/([^/]+)$/,(e,t,n)=>P`<${vn} quest=${e} task=${t} user=${n} />`],[/^\/motivity\/reports$/,()=>P`<${jn} />`],[/^\/motivity\/reports\/([^/]+)$/,e=>P`<${Mn} id=${e} />`]],In=[[`/`,`nav.stand`],[`/journal`,`nav.journal`],[`/migrant-exam`,`nav.migrantExam`],[`/fssp`,`nav.fssp`],[`/reestro`,`nav.reestro`],[`/motivity`,`nav.motivity`]];function Ln(e){let t=e.startsWith(Pn)?e.slice(8):e;for(let[e,n]of Fn){let r=t.match(e);if(!r)continue;let i;try{i=r.slice(1).map(decodeURIComponent)}catch{break}return n(...i)}return P`<div class="page"><h1>${V(`nav.notFound`)}</h1><p><${H} href=${Pn+`/`}>${V(`nav.stand`)}<//></p></div>`}function Rn({done:e}){let[t,n]=L(null),[r,i]=L(!1);return P`<div class="login">
    <h1>${V(`login.title`)}</h1>
    <p>${V(`login.explain`)}</p>
    <form onSubmit=${async t=>{t.preventDefault(),i(!0);try{await We(new FormData(t.target).get(`token`)),e()}catch(e){n(e),i(!1)}}}>
      <${X} label=${V(`login.token`)}><input name="token" type="password" required autocomplete="current-password" autofocus /><//>
      <button type="submit" disabled=${r}>${V(`login.enter`)}</button>
    </form>
    <${W} error=${t} />
  </div>`}function zn(){return P`<div class="langs" role="group" aria-label=${V(`nav.language`)}>
    ${qe.map(e=>P`<button type="button" lang=${e} aria-pressed=${Ze()===e} onClick=${()=>Qe(e)}>${e.toUpperCase()}</button>`)}
  </div>`}function Bn(){let[e,t]=L(location.pathname),[n,r]=L(!!R.token()),[,i]=L(0);De(()=>{let e=()=>t(location.pathname);return addEventListener(`popstate`,e),R.onLogout=()=>r(!1),addEventListener(`stend-lang`,()=>i(e=>e+1)),()=>removeEventListener(`popstate`,e)},[]),De(()=>{document.documentElement.lang=Ze(),document.title=V(`app.title`)});let a=()=>{R.clear(),r(!1)},o=e.slice(8)||`/`;return P`<div class="app" key=${Ze()}>
    <a class="skip" href="#main">${V(`nav.skip`)}</a>
    <header>
      <span class="brand">stend</span>
      ${n&&P`<nav aria-label=${V(`nav.main`)}><ul>
        ${In.map(([e,t])=>P`<li><${H} href=${Pn+e} aria-current=${(e===`/`?o===`/`:o.startsWith(e))?`page`:void 0}>${V(t)}<//></li>`)}
      </ul></nav>`}
      <${zn} />
      ${n&&P`<button type="button" onClick=${a}>${V(`login.logout`)}</button>`}
    </header>
    <main id="main" tabindex="-1">
      ${n?Ln(e):P`<${Rn} done=${()=>r(!0)} />`}
    </main>
  </div>`}M(P`<${Bn} />`,document.getElementById(`app`));